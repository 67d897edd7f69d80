import type { MrssConfig } from '../domain/controllers.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ConnectorError, type Connector, type FeedItem, type FetchDocument } from './connector.js';
import { assetTypeOf, compact, plainText, toIsoDate } from './mapping.js';

/**
 * Media RSS (RSS 2.0 with the `media:` namespace), the format Brightcove, JW Player, Kaltura and
 * YouTube export. One document is the whole feed: a sync reads it whole, so an item missing from it
 * has left the feed.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Text of elements that also carry attributes (media:title type="plain") lands in '#text'.
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Never expand entities the document declares itself (billion laughs); the XML ones stay.
  processEntities: true,
  htmlEntities: false,
  isArray: (name) =>
    ['item', 'media:content', 'media:credit', 'media:thumbnail', 'media:group', 'category'].includes(name),
});

type Node = Record<string, unknown>;
const asNode = (v: unknown): Node | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : undefined;
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** An element's text, whether it carries attributes or not. */
const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  const node = asNode(v);
  return node && typeof node['#text'] === 'string' ? node['#text'] : undefined;
};
const attr = (v: unknown, name: string): string | undefined => {
  const a = asNode(v)?.[`@${name}`];
  return typeof a === 'string' ? a : undefined;
};
const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Parses a Media RSS document; throws a ConnectorError when it is not one. */
export function parseMrss(xml: string): FeedItem[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new ConnectorError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  const doc = asNode(parser.parse(xml));
  const channel = asNode(asNode(doc?.rss)?.channel);
  if (!channel) throw new ConnectorError('not an RSS document: no rss/channel element');
  return list(channel.item).map((raw, i) => mrssItem(asNode(raw) ?? {}, i));
}

function mrssItem(item: Node, index: number): FeedItem {
  // media:group bundles renditions of one item; its children count as the item's own.
  const groups = list(item['media:group']).map((g) => asNode(g) ?? {});
  const all = (name: string) => [...list(item[name]), ...groups.flatMap((g) => list(g[name]))];
  const first = (name: string) => all(name)[0];

  const contents = all('media:content');
  // The default rendition, else the first.
  const content = contents.find((c) => attr(c, 'isDefault') === 'true') ?? contents[0];
  const credits = all('media:credit');
  const byRole = (role: (r: string) => boolean) =>
    credits.filter((c) => role((attr(c, 'role') ?? '').toLowerCase())).map((c) => text(c)?.trim() ?? '');
  const keywords = (text(first('media:keywords')) ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  const categories = list(item.category)
    .map((c) => text(c)?.trim() ?? '')
    .filter((c) => c.length > 0);

  const guid = text(item.guid)?.trim();
  const link = text(item.link)?.trim();
  const sourceId = guid || link || '';
  if (!sourceId) throw new ConnectorError(`item ${index + 1} has neither a guid nor a link`);

  const mediaUrl = attr(content, 'url');
  const mimeType = attr(content, 'type');
  const width = num(attr(content, 'width'));
  const height = num(attr(content, 'height'));
  return {
    sourceId,
    asset: compact({
      type: assetTypeOf(attr(content, 'medium'), mimeType),
      title: (text(first('media:title')) ?? text(item.title))?.trim(),
      description: plainText(text(first('media:description')) ?? text(item.description) ?? ''),
      tags: [...new Set([...keywords, ...categories])],
      // Credits with the role "author" are the people speaking; the rest made the item.
      speakers: byRole((r) => r === 'author').filter(Boolean),
      contributors: byRole((r) => r !== 'author').filter(Boolean),
      technicalMetadata: compact({
        mediaUrl,
        mimeType,
        durationSeconds: num(attr(content, 'duration')),
        fileSizeBytes: num(attr(content, 'fileSize')),
        ...(width !== undefined && height !== undefined ? { width, height } : {}),
        thumbnailUrl: attr(first('media:thumbnail'), 'url'),
      }),
      createdAt: toIsoDate(text(item.pubDate)),
    }),
  };
}

export function mrssConnector(fetch: FetchDocument): Connector {
  return {
    mode: 'snapshot',
    async fetchPage(config, request) {
      const answer = await fetch((config as MrssConfig).url, request);
      if (answer.status === 304) return { notModified: true, items: [] };
      return {
        notModified: false,
        items: parseMrss(answer.body),
        etag: answer.etag,
        lastModified: answer.lastModified,
      };
    },
  };
}
