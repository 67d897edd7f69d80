import type { RestListingConfig } from '../domain/controllers.js';
import { ConnectorError, type Connector, type FeedItem, type FetchDocument } from './connector.js';
import { asObject, listingFields, parseJson, pick } from './mapping.js';

/**
 * A REST listing paged with a cursor: `GET url?cursor=…` answers `{ items: [...], nextCursor }`
 * (both names configurable). The controller keeps the cursor of the last page it read, so the next
 * sync starts there: the listing is read as a log of changes, and an item that left says so with
 * `deleted: true`.
 */

/** One item of a listing: `id`, `deleted`, and the fields `listingFields` reads. */
export function restItem(raw: unknown, index: number): FeedItem {
  const item = asObject(raw) ?? {};
  const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : undefined;
  if (!id) throw new ConnectorError(`item ${index + 1} has no id`);
  if (item.deleted === true) return { sourceId: id, deleted: true, asset: {} };
  return { sourceId: id, asset: listingFields(item) };
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
