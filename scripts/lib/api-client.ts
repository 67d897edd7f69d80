/** A minimal client for the loading scripts: posts batches, fails loudly on any non-2xx answer. */
export interface BatchOutcome {
  created: number;
  duplicates: number;
}

export async function postBatches(
  baseUrl: string,
  apiKey: string,
  assets: AsyncIterable<unknown> | Iterable<unknown>,
  options: { batchSize: number; wait: boolean; onBatch?: (done: number) => void },
): Promise<BatchOutcome> {
  const total: BatchOutcome = { created: 0, duplicates: 0 };
  let batch: unknown[] = [];
  let done = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const res = await fetch(
      `${baseUrl.replace(/\/$/, '')}/v1/assets/batch${options.wait ? '?wait=true' : ''}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ assets: batch }),
      },
    );
    if (!res.ok) throw new Error(`POST /v1/assets/batch answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as BatchOutcome;
    total.created += body.created;
    total.duplicates += body.duplicates;
    done += batch.length;
    batch = [];
    options.onBatch?.(done);
  };
  for await (const asset of assets) {
    batch.push(asset);
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  return total;
}
