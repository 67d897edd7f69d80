import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One item of the test feeds, written out as MRSS, JSON Feed or a REST listing item. */
export interface TestFeedItem {
  id: string;
  title: string;
  description?: string;
  speaker?: string;
  keywords?: string[];
  published?: string;
}

/**
 * A feed server on loopback for the controllers' tests: a Media RSS feed, a JSON Feed in pages (by
 * next_url), and a REST listing paged by cursor, each answering 304 to a matching If-None-Match.
 * What it serves is changed between syncs through its fields; `requests` logs what it was asked.
 */
export class FeedServer {
  items: TestFeedItem[] = [];
  /** Serve a document that is not XML (or JSON) at all. */
  malformed = false;
  /** Items per page of the JSON Feed and the listing. */
  pageSize = 2;
  /** The listing: cut the connection when this page (0-based) is asked for, once. */
  dropListingPage: number | null = null;
  /** The listing: hold the answer to this page (0-based), once, until `releaseStall()`. */
  stallListingPage: number | null = null;
  private stalled: (() => void)[] = [];
  /** The listing: ids reported deleted on its last page. */
  deleted: string[] = [];
  readonly requests: { path: string; ifNoneMatch?: string | undefined }[] = [];
  private server: http.Server | null = null;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /** Answers the stalled listing request, as its page is now. */
  releaseStall(): void {
    for (const answer of this.stalled.splice(0)) answer();
  }

  async stop(): Promise<void> {
    this.releaseStall();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const ifNoneMatch = req.headers['if-none-match'];
    this.requests.push({ path: `${url.pathname}${url.search}`, ifNoneMatch });
    const send = (type: string, body: string) => {
      const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      if (ifNoneMatch === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': type, etag }).end(body);
    };
    if (url.pathname === '/feed.rss') {
      return send('application/rss+xml', this.malformed ? '<rss><channel><item><title>cut' : this.mrss());
    }
    if (url.pathname === '/feed.json') {
      const page = Number(url.searchParams.get('page') ?? '0');
      return send('application/feed+json', this.malformed ? '{"version": ' : this.jsonFeed(page));
    }
    if (url.pathname === '/listing') {
      const page = Number(url.searchParams.get('cursor') ?? '0');
      if (this.stallListingPage === page) {
        this.stallListingPage = null;
        this.stalled.push(() => send('application/json', this.listing(page)));
        return;
      }
      if (this.dropListingPage === page) {
        this.dropListingPage = null;
        req.socket.destroy();
        return;
      }
      return send('application/json', this.listing(page));
    }
    res.writeHead(404).end();
  }

  private page(n: number) {
    const items = this.items.slice(n * this.pageSize, (n + 1) * this.pageSize);
    const more = (n + 1) * this.pageSize < this.items.length;
    return { items, more };
  }

  private mrss(): string {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const items = this.items
      .map(
        (i) => `
    <item>
      <title>${esc(i.title)}</title>
      <guid isPermaLink="false">${esc(i.id)}</guid>
      <pubDate>${new Date(i.published ?? '2026-01-05T10:00:00Z').toUTCString()}</pubDate>
      <description>&lt;p&gt;${esc(i.description ?? '')}&lt;/p&gt;</description>
      <media:content url="https://cdn.example.com/${i.id}.mp4" type="video/mp4" medium="video" duration="754" fileSize="1048576" width="1920" height="1080"/>
      <media:title type="plain">${esc(i.title)}</media:title>
      <media:description type="plain">${esc(i.description ?? '')}</media:description>
      <media:keywords>${(i.keywords ?? []).map(esc).join(', ')}</media:keywords>
      ${i.speaker ? `<media:credit role="author" scheme="urn:ebu">${esc(i.speaker)}</media:credit>` : ''}
      <media:credit role="producer">Example Studios</media:credit>
      <media:thumbnail url="https://cdn.example.com/${i.id}.jpg" width="640" height="360"/>
    </item>`,
      )
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
  <channel><title>Test library</title><link>https://videos.example.com</link>${items}
  </channel>
</rss>`;
  }

  private jsonFeed(n: number): string {
    const { items, more } = this.page(n);
    return JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Test podcast',
      ...(more ? { next_url: `${this.url}/feed.json?page=${n + 1}` } : {}),
      items: items.map((i) => ({
        id: i.id,
        title: i.title,
        content_text: i.description ?? '',
        date_published: i.published ?? '2026-01-05T10:00:00Z',
        tags: i.keywords ?? [],
        authors: i.speaker ? [{ name: i.speaker }] : [],
        image: `https://cdn.example.com/${i.id}.jpg`,
        attachments: [
          { url: `https://cdn.example.com/${i.id}.mp3`, mime_type: 'audio/mpeg', duration_in_seconds: 1800 },
        ],
      })),
    });
  }

  private listing(n: number): string {
    const { items, more } = this.page(n);
    return JSON.stringify({
      items: [
        ...items.map((i) => ({
          id: i.id,
          type: 'VIDEO',
          title: i.title,
          description: i.description ?? '',
          speakers: i.speaker ? [i.speaker] : [],
          tags: i.keywords ?? [],
          publishedAt: i.published ?? '2026-01-05T10:00:00Z',
        })),
        ...(more ? [] : this.deleted.map((id) => ({ id, deleted: true }))),
      ],
      nextCursor: more ? String(n + 1) : null,
    });
  }
}
