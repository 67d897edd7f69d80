/** What a process needs to shut down in order on SIGTERM or SIGINT. */
export interface ShutdownOptions {
  /** Where the signals come from: `process`, or an emitter in tests. */
  signals: {
    on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
    off(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  };
  exit: (code: number) => void;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Run one after the other: stop taking work first, release connections last. */
  steps: { name: string; run: () => Promise<void> }[];
  /** Past this, the process exits with 1 whatever is still running (0: wait for ever). */
  timeoutMs: number;
}

/**
 * The first SIGTERM or SIGINT runs the steps in order and exits 0 (1 if a step fails); a second
 * signal, or the timeout, exits 1 at once. A job cut short that way is not lost: BullMQ hands a job
 * whose worker vanished to another worker once its lock expires, and an interrupted request is
 * the client's to retry. Returns a function that removes the handlers.
 */
export function onShutdownSignals(options: ShutdownOptions): () => void {
  const { signals, exit, log, steps, timeoutMs } = options;
  let closing = false;
  const handler = (signal: string) => {
    if (closing) {
      log.error({ signal }, 'second signal: exiting now, without waiting for in-flight work');
      exit(1);
      return;
    }
    closing = true;
    log.info({ signal }, 'shutting down: no new work; finishing in-flight requests and jobs');
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            log.error({ timeoutMs }, 'shutdown took too long: exiting now');
            exit(1);
          }, timeoutMs)
        : undefined;
    // The timer alone must not keep the process alive once everything else has closed.
    timer?.unref();
    void (async () => {
      try {
        for (const step of steps) {
          await step.run();
          log.info({ step: step.name }, 'closed');
        }
        exit(0);
      } catch (err) {
        log.error({ err }, 'unclean shutdown');
        exit(1);
      } finally {
        clearTimeout(timer);
      }
    })();
  };
  const onTerm = () => handler('SIGTERM');
  const onInt = () => handler('SIGINT');
  signals.on('SIGTERM', onTerm);
  signals.on('SIGINT', onInt);
  return () => {
    signals.off('SIGTERM', onTerm);
    signals.off('SIGINT', onInt);
  };
}
