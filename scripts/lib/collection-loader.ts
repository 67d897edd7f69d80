import { createHash } from 'node:crypto';
import type { buildApp } from '../../api/app.js';
import { ingestSettled } from './eval-app.js';
import type { Collection } from './trec-collection.js';

/**
 * Loads a test collection's documents into the eval app's tenant through the API, as TEXT assets
 * (title, text as description, authors as speakers; the collection's id travels as sourceId), and
 * waits until each batch is enriched and projected. Returns asset id → collection document id.
 * eval:relevance and eval:related load a collection the same way, so their figures are comparable.
 */
export async function loadCollection(
  app: Awaited<ReturnType<typeof buildApp>>,
  headers: Record<string, string>,
  collection: Collection,
  prefix: string,
): Promise<Map<string, string>> {
  const idOf = new Map<string, string>();
  for (let i = 0; i < collection.documents.length; i += 500) {
    const batch = collection.documents.slice(i, i + 500).map((d) => ({
      type: 'TEXT',
      title: d.title.slice(0, 1000),
      description: d.text.slice(0, 20_000),
      speakers: d.authors.slice(0, 20).map((a) => a.slice(0, 200)),
      sourceSystem: 'collection',
      sourceId: d.id,
      fileHash: createHash('sha256').update(`${prefix}:${d.id}`).digest('hex'),
    }));
    for (const item of await ingestSettled(app, headers, batch)) {
      idOf.set(item.asset.id, item.asset.sourceId);
    }
  }
  return idOf;
}
