import type { JsonFeedConfig } from '../domain/controllers.js';
import { ConnectorError, type Connector, type FeedItem, type FetchDocument } from './connector.js';
import { assetTypeOf, compact, parseJson, plainText, toIsoDate } from './mapping.js';

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), paged by its `next_url`. A sync reads
 * every page, so an item missing from all of them has left the feed.
 */

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Parses one page of a JSON Feed; throws a ConnectorError when it is not one. */
export function parseJsonFeed(body: string): { items: FeedItem[]; next?: string } {
  const doc = obj(parseJson(body, 'the feed', (m) => new ConnectorError(m)));
  if (!doc || typeof doc.version !== 'string' || !doc.version.startsWith('https://jsonfeed.org/version/')) {
    throw new ConnectorError('not a JSON Feed: no jsonfeed.org version');
  }
  if (!Array.isArray(doc.items)) throw new ConnectorError('not a JSON Feed: items is not a list');
  const items = doc.items.map((raw, i): FeedItem => {
    const item = obj(raw) ?? {};
    const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : undefined;
    if (!id) throw new ConnectorError(`item ${i + 1} has no id`);
    const attachment = (Array.isArray(item.attachments) ? item.attachments : []).map(obj).find(Boolean);
    const mimeType = str(attachment?.mime_type);
    const authors = [
      ...(Array.isArray(item.authors) ? (item.authors as unknown[]) : []),
      // JSON Feed 1.0's single author.
      ...(obj(item.author) ? [item.author] : []),
    ]
      .map((a) => str(obj(a)?.name)?.trim())
      .filter((n): n is string => n !== undefined);
    const tags = (Array.isArray(item.tags) ? item.tags : [])
      .map((t) => str(t)?.trim())
      .filter((t): t is string => t !== undefined);
    return {
      sourceId: id,
      asset: compact({
        type: assetTypeOf(undefined, mimeType),
        title: str(item.title)?.trim() ?? str(item.summary)?.trim(),
        description: str(item.content_text) ?? str(item.summary) ?? plainText(str(item.content_html) ?? ''),
        tags: [...new Set(tags)],
        speakers: [...new Set(authors)],
        technicalMetadata: compact({
          mediaUrl: str(attachment?.url),
          mimeType,
          durationSeconds: num(attachment?.duration_in_seconds),
          fileSizeBytes: num(attachment?.size_in_bytes),
          thumbnailUrl: str(item.image) ?? str(item.banner_image),
        }),
        createdAt: toIsoDate(str(item.date_published)),
      }),
    };
  });
  const next = str(doc.next_url);
  return { items, ...(next ? { next } : {}) };
}

export function jsonFeedConnector(fetch: FetchDocument): Connector {
  return {
    mode: 'snapshot',
    async fetchPage(config, request) {
      const { url } = config as JsonFeedConfig;
      // Only the first page is conditional: its validators are the feed's.
      const answer = await fetch(request.next ?? url, request.next ? {} : request);
      if (answer.status === 304) return { notModified: true, items: [] };
      const page = parseJsonFeed(answer.body);
      return { notModified: false, ...page, etag: answer.etag, lastModified: answer.lastModified };
    },
  };
}
