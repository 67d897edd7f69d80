import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../runtime/config.js';
import { Supervisor } from './supervisor.js';

/**
 * `npm run worker`: WORKER_PROCESSES worker processes (worker-process.ts, default one per core)
 * under a supervisor that restarts a crashed one and, on SIGTERM or SIGINT, lets them all drain.
 * Processes rather than threads: each has its own event loop, connections and heap, and BullMQ
 * shares the jobs between them as it does between machines.
 */
function main(): void {
  const config = loadConfig();
  if (!config.REDIS_URL || !config.DATABASE_URL) {
    throw new Error(
      'a separate worker process needs REDIS_URL and DATABASE_URL; embedded mode runs workers inside `npm start`',
    );
  }
  const log = pino({ level: config.LOG_LEVEL }).child({ supervisor: process.pid });
  const entry = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
  const supervisor = new Supervisor({
    processes: config.WORKER_PROCESSES,
    // The children inherit `--import tsx` (execArgv) and the environment; the IPC channel fork
    // opens tells a child when the supervisor is gone.
    start: (slot) => fork(entry, ['--slot', String(slot)]),
    log,
    // Each child has SHUTDOWN_TIMEOUT_MS itself; this only catches one that hangs past it.
    drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS > 0 ? config.SHUTDOWN_TIMEOUT_MS + 5_000 : 0,
  });
  // The first SIGTERM or SIGINT drains the children; a second one kills them.
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (signalled) {
        log.error({ signal }, 'second signal: killing the worker processes');
        supervisor.kill();
        return;
      }
      signalled = true;
      log.info({ signal }, 'stopping the worker processes: each finishes its running jobs');
      void supervisor.stop();
    });
  }
  supervisor.start();
  log.info({ processes: config.WORKER_PROCESSES }, 'supervisor ready');
  void supervisor.done.then((code) => {
    log.info({ code }, 'every worker process has stopped');
    process.exit(code);
  });
}

try {
  main();
} catch (err) {
  console.error(err);
  process.exit(1);
}
