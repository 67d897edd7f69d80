import type { Controller } from '../controller-kinds';

/**
 * A controller's health in words: healthy, unhealthy with its last error, or never run; "syncing"
 * while a run holds it. The error is text beside the word, read with it, not a tooltip.
 */
export function ControllerHealth({ c }: { c: Controller }) {
  return (
    <span class="controller-health">
      {c.health === 'healthy' && <span class="status status-completed">healthy</span>}
      {c.health === 'unknown' && <span class="status status-paused">never run</span>}
      {c.health === 'unhealthy' && (
        <>
          <span class="status status-failed">unhealthy</span>
          {c.lastError && <span class="health-error">: {c.lastError}</span>}
        </>
      )}
      {c.syncing && <span class="status status-pending"> (syncing now)</span>}
    </span>
  );
}

/** Enabled, or disabled: not synced on schedule. */
export function ControllerEnabled({ c }: { c: Controller }) {
  return c.enabled ? (
    <span class="status status-completed">enabled</span>
  ) : (
    <span class="status status-paused">disabled</span>
  );
}

/** Polled often while a controller syncs or waits for its first run, rarely otherwise. */
export function pollDelay(controllers: readonly Controller[]): number {
  return controllers.some((c) => c.syncing || (c.enabled && c.health === 'unknown')) ? 2_000 : 15_000;
}
