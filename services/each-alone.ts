/** Items that fail alone, one after another, before any succeeds: the backend is down, not an item bad. */
const FAILED_ALONE_BEFORE_GIVING_UP = 3;

/**
 * Writes the batch in one call; when that fails, writes each item alone to tell the items that fail
 * from the rest (one asset that a backend or the database refuses must not keep the batch out).
 * Returns the items that failed alone, with their errors. When the first few fail alone too, and none
 * succeeded, the backend is the cause: the batch's own error is thrown, and the attempt fails as a
 * whole, without a call per item to a backend that is down.
 */
export async function eachAlone<T>(
  items: T[],
  many: (items: T[]) => Promise<unknown>,
  one: (item: T) => Promise<unknown>,
): Promise<[T, unknown][]> {
  try {
    await many(items);
    return [];
  } catch (batchError) {
    if (items.length === 1) return [[items[0]!, batchError]];
    const failed: [T, unknown][] = [];
    let succeeded = false;
    for (const item of items) {
      try {
        await one(item);
        succeeded = true;
      } catch (err) {
        failed.push([item, err]);
        if (!succeeded && failed.length >= Math.min(FAILED_ALONE_BEFORE_GIVING_UP, items.length))
          throw batchError;
      }
    }
    return failed;
  }
}
