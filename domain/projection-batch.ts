/*
 * How every projection adapter reads a batch that holds several versions of one asset: the newest
 * is the one written, and the others are 'stale' next to it, whatever the store holds. Written once
 * so that the search and graph adapters on every backend answer alike.
 */

/** The newest version of each asset in a batch, by asset id. */
export function newestOfEach<T extends { assetId: string; version: number }>(batch: T[]): Map<string, T> {
  const newest = new Map<string, T>();
  for (const item of batch) {
    const seen = newest.get(item.assetId);
    if (!seen || seen.version < item.version) newest.set(item.assetId, item);
  }
  return newest;
}

/** Outcomes in the batch's order: the written item's for the newest of each asset, 'stale' for the others. */
export function batchOutcomes<T extends { assetId: string }, O>(
  batch: T[],
  newest: Map<string, T>,
  outcomeOf: (item: T) => O,
): (O | 'stale')[] {
  return batch.map((item) => (newest.get(item.assetId) === item ? outcomeOf(item) : 'stale'));
}
