import type { RestListingConfig } from '../domain/controllers.js';
import { ConnectorError, type Connector, type FeedItem, type FetchDocument } from './connector.js';
import { assetTypeOf, compact, parseJson, pick, toIsoDate } from './mapping.js';

/**
 * A REST listing paged with a cursor: `GET url?cursor=…` answers `{ items: [...], nextCursor }`
 * (both names configurable). The controller keeps the cursor of the last page it read, so the next
 * sync starts there: the listing is read as a log of changes, and an item that left says so with
 * `deleted: true`.
 */

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : []).map((s) => str(s)?.trim()).filter((s): s is string => s !== undefined);

/** One item of a listing: `id`, `title`, `description`, `type` or `mimeType`, `url`, `thumbnailUrl`, `durationSeconds`, `tags`, `speakers`, `contributors`, `publishedAt`, `deleted`. */
export function restItem(raw: unknown, index: number): FeedItem {
  const item = obj(raw) ?? {};
  const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : undefined;
  if (!id) throw new ConnectorError(`item ${index + 1} has no id`);
  if (item.deleted === true) return { sourceId: id, deleted: true, asset: {} };
  const mimeType = str(item.mimeType);
  const type = str(item.type)?.toUpperCase() ?? assetTypeOf(undefined, mimeType);
  return {
    sourceId: id,
    asset: compact({
      type,
      title: str(item.title)?.trim(),
      description: str(item.description),
      transcript: str(item.transcript),
      tags: strings(item.tags),
      speakers: strings(item.speakers),
      contributors: strings(item.contributors),
      technicalMetadata: compact({
        mediaUrl: str(item.url),
        mimeType,
        durationSeconds: typeof item.durationSeconds === 'number' ? item.durationSeconds : undefined,
        thumbnailUrl: str(item.thumbnailUrl),
      }),
      createdAt: toIsoDate(str(item.publishedAt)),
    }),
  };
}

export function restListingConnector(fetch: FetchDocument): Connector {
  return {
    mode: 'changes',
    async fetchPage(config, request) {
      const c = config as RestListingConfig;
      const url = new URL(c.url);
      if (request.next !== undefined) url.searchParams.set(c.cursorParam, request.next);
      const answer = await fetch(url.toString(), {});
      if (answer.status === 304) return { notModified: true, items: [] };
      const page = parseJson(answer.body, 'the listing page', (m) => new ConnectorError(m));
      const items = pick(page, c.itemsField);
      if (!Array.isArray(items)) throw new ConnectorError(`the listing page has no list at ${c.itemsField}`);
      const next = pick(page, c.nextCursorField);
      return {
        notModified: false,
        items: items.map(restItem),
        next:
          typeof next === 'string' && next !== ''
            ? next
            : typeof next === 'number'
              ? String(next)
              : undefined,
      };
    },
  };
}
