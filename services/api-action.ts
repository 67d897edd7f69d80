import type { ActionRecord } from '../store/actions-repository.js';

/**
 * The audit record of something a caller asked for: INBOUND, through the API unless `controller`
 * says otherwise, by `actor`, timed from `startedAt` to now (0 ms without it). One shape for every
 * service that records what a caller did.
 */
export function apiAction(
  actor: string,
  actionType: string,
  details: Record<string, unknown>,
  opts: {
    startedAt?: Date;
    status?: ActionRecord['status'];
    assetId?: string;
    controller?: string;
  } = {},
): ActionRecord {
  const startedAt = opts.startedAt ?? new Date();
  return {
    ...(opts.assetId ? { assetId: opts.assetId } : {}),
    actionType,
    direction: 'INBOUND',
    controller: opts.controller ?? 'api',
    actor,
    status: opts.status ?? 'SUCCEEDED',
    details,
    startedAt,
    durationMs: opts.startedAt ? Date.now() - startedAt.getTime() : 0,
  };
}
