import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../connectors/connector.js';
import { httpFetch } from '../../connectors/http-fetch.js';
import { parseJsonFeed } from '../../connectors/json-feed.js';
import { parseMrss } from '../../connectors/mrss.js';
import { restItem } from '../../connectors/rest-listing.js';
import { guardedLookup } from '../../workers/webhooks/send-webhook.js';

const MRSS = `<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>Library</title>
    <item>
      <title>Plain title</title>
      <guid>vid-1</guid>
      <pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
      <description>&lt;p&gt;Deep &amp;amp; dark&lt;/p&gt;</description>
      <media:group>
        <media:content url="https://cdn.example.com/1-low.mp4" type="video/mp4" width="640" height="360"/>
        <media:content url="https://cdn.example.com/1.mp4" type="video/mp4" isDefault="true" duration="61.5" width="1920" height="1080"/>
      </media:group>
      <media:title type="plain">Media title wins</media:title>
      <media:keywords>ocean, deep sea ,  </media:keywords>
      <category>science</category>
      <media:credit role="author">Sylvia Earle</media:credit>
      <media:credit role="Author">Edith Widder</media:credit>
      <media:credit role="director">Jane Doe</media:credit>
      <media:thumbnail url="https://cdn.example.com/1.jpg"/>
    </item>
    <item>
      <title>Podcast</title>
      <link>https://example.com/ep-2</link>
      <media:content url="https://cdn.example.com/2.mp3" type="audio/mpeg"/>
    </item>
  </channel>
</rss>`;

describe('Media RSS', () => {
  it('maps media:content, title, description, keywords, credits, thumbnail, pubDate and guid', () => {
    const [first, second] = parseMrss(MRSS);
    expect(first).toEqual({
      sourceId: 'vid-1',
      asset: {
        type: 'VIDEO',
        title: 'Media title wins',
        description: 'Deep & dark',
        tags: ['ocean', 'deep sea', 'science'],
        speakers: ['Sylvia Earle', 'Edith Widder'],
        contributors: ['Jane Doe'],
        technicalMetadata: {
          mediaUrl: 'https://cdn.example.com/1.mp4',
          mimeType: 'video/mp4',
          durationSeconds: 61.5,
          width: 1920,
          height: 1080,
          thumbnailUrl: 'https://cdn.example.com/1.jpg',
        },
        createdAt: '2026-01-05T10:00:00.000Z',
      },
    });
    // No guid: the link is the id; the MIME type gives the asset type.
    expect(second).toMatchObject({
      sourceId: 'https://example.com/ep-2',
      asset: { type: 'AUDIO', title: 'Podcast' },
    });
  });

  it('refuses a malformed document, and one that is not RSS, with a ConnectorError', () => {
    expect(() => parseMrss('<rss><channel><item><title>cut')).toThrow(ConnectorError);
    expect(() => parseMrss('<feed xmlns="http://www.w3.org/2005/Atom"></feed>')).toThrow(
      /not an RSS document/,
    );
  });

  it('does not expand entities a document declares itself', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
      <rss><channel><item><guid>x</guid><title>&b;</title></item></channel></rss>`;
    let title: unknown;
    try {
      title = parseMrss(bomb)[0]?.asset.title;
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      return;
    }
    expect(String(title).length).toBeLessThan(100);
  });
});

describe('JSON Feed', () => {
  it('maps items and their first attachment, and follows next_url', () => {
    const page = parseJsonFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 't',
        next_url: 'https://example.com/feed.json?page=2',
        items: [
          {
            id: 42,
            title: 'Episode',
            content_html: '<p>Hello <b>world</b></p>',
            authors: [{ name: 'Host One' }],
            tags: ['talk'],
            image: 'https://example.com/42.jpg',
            date_published: '2026-02-01T08:00:00+01:00',
            attachments: [{ url: 'https://example.com/42.mp3', mime_type: 'audio/mpeg', size_in_bytes: 10 }],
          },
        ],
      }),
    );
    expect(page).toEqual({
      next: 'https://example.com/feed.json?page=2',
      items: [
        {
          sourceId: '42',
          asset: {
            type: 'AUDIO',
            title: 'Episode',
            description: 'Hello world',
            tags: ['talk'],
            speakers: ['Host One'],
            technicalMetadata: {
              mediaUrl: 'https://example.com/42.mp3',
              mimeType: 'audio/mpeg',
              fileSizeBytes: 10,
              thumbnailUrl: 'https://example.com/42.jpg',
            },
            createdAt: '2026-02-01T07:00:00.000Z',
          },
        },
      ],
    });
  });

  it('refuses what is not a JSON Feed', () => {
    expect(() => parseJsonFeed('{"version": ')).toThrow(/not JSON/);
    expect(() => parseJsonFeed('{"items": []}')).toThrow(/not a JSON Feed/);
    expect(() => parseJsonFeed('{"version": "https://jsonfeed.org/version/1.1", "items": [{}]}')).toThrow(
      /no id/,
    );
  });
});

describe('REST listing items', () => {
  it('maps an item, and a deleted one to its id alone', () => {
    expect(restItem({ id: 7, title: 'T', type: 'video', tags: ['a', 3] }, 0)).toEqual({
      sourceId: '7',
      asset: { type: 'VIDEO', title: 'T', tags: ['a'] },
    });
    expect(restItem({ id: 'x', deleted: true }, 0)).toEqual({ sourceId: 'x', deleted: true, asset: {} });
  });
});

describe('httpFetch: the webhooks outbound policy, a timeout and a size limit', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/big') return res.end('x'.repeat(5_000));
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 2_000).unref();
      if (req.url === '/moved') return res.writeHead(302, { location: '/doc' }).end();
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 05 Jan 2026 10:00:00 GMT' }).end('<rss/>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const lax = httpFetch({ timeoutMs: 500, maxBytes: 1_000, allowPrivate: true });
  const strict = httpFetch({
    timeoutMs: 500,
    maxBytes: 1_000,
    allowPrivate: false,
    guardedLookup: guardedLookup(),
  });

  it('answers the document with its validators, and 304 to a conditional request', async () => {
    expect(await lax(`${base}/doc`, {})).toMatchObject({
      status: 200,
      body: '<rss/>',
      etag: '"v1"',
      lastModified: 'Mon, 05 Jan 2026 10:00:00 GMT',
    });
    expect(await lax(`${base}/doc`, { etag: '"v1"' })).toEqual({ status: 304 });
    expect(await lax(`${base}/moved`, {})).toMatchObject({ status: 200, body: '<rss/>' });
  });

  it('cuts an answer past the size limit and a server past the timeout', async () => {
    await expect(lax(`${base}/big`, {})).rejects.toThrow(/larger than the limit/);
    await expect(lax(`${base}/slow`, {})).rejects.toThrow(/timed out/);
  });

  it('refuses loopback and private addresses, written or resolved, unless allowed', async () => {
    await expect(strict(`${base}/doc`, {})).rejects.toThrow(/not a public address/);
    await expect(strict(`http://localhost:${new URL(base).port}/doc`, {})).rejects.toThrow(
      /not a public address/,
    );
    await expect(strict('http://169.254.169.254/latest/meta-data', {})).rejects.toThrow(ConnectorError);
  });
});
