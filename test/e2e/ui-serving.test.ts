import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/** The web UI's files as the API serves them (the browser suite drives the UI itself). */
describe('the web UI at /ui', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
  });
  afterAll(() => t.close());

  it('serves the page, its script and its styles with a strict policy and revalidation', async () => {
    for (const [url, type] of [
      ['/ui', 'text/html'],
      ['/ui/', 'text/html'],
      ['/ui/app.js', 'text/javascript'],
      ['/ui/app.css', 'text/css'],
    ] as const) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers, url).toMatchObject({
        'content-type': `${type}; charset=utf-8`,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': expect.stringContaining("default-src 'self'"),
        etag: expect.stringMatching(/^"[\w-]+"$/),
      });
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      const again = await t.app.inject({ url, headers: { 'if-none-match': res.headers.etag } });
      expect(again.statusCode, url).toBe(304);
    }
    const html = (await t.app.inject({ url: '/ui' })).body;
    expect(html).toContain('<script type="module" src="/ui/app.js"></script>');
    // No inline script: the policy would block it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('leads /ui/analytics to the analytics page', async () => {
    const res = await t.app.inject({ url: '/ui/analytics' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/ui/#/analytics');
  });

  it('lets images and media come from http(s) origins, and nothing else from anywhere but /ui', async () => {
    const policy = (await t.app.inject({ url: '/ui' })).headers['content-security-policy'] as string;
    const directives: Record<string, string> = Object.fromEntries(
      policy.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    // An asset's thumbnailUrl and mediaUrl live on the source system's storage.
    expect(directives['img-src']).toBe("'self' data: https: http:");
    expect(directives['media-src']).toBe("'self' https: http:");
    // Scripts, styles, API calls and frames fall back to default-src: this origin only.
    expect(directives['default-src']).toBe("'self'");
    for (const d of ['script-src', 'style-src', 'connect-src', 'frame-src', 'font-src'])
      expect(directives[d], d).toBeUndefined();
  });

  it('keeps the UI out of the API contract', () => {
    expect(Object.keys(t.app.swagger().paths ?? {}).filter((p) => p.startsWith('/ui'))).toEqual([]);
  });
});
