import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyPluginCallback } from 'fastify';

const UI_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

export interface UiFile {
  name: string;
  type: string;
  body: string;
}

/** The web UI (ui/): index.html, and ui/main.tsx bundled by esbuild into app.js and app.css, in memory. */
export async function bundleUi(): Promise<UiFile[]> {
  const [html, result] = await Promise.all([
    readFile(`${UI_DIR}index.html`, 'utf8'),
    build({
      entryPoints: { app: `${UI_DIR}main.tsx` },
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      target: 'es2022',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      charset: 'utf8',
      // Names the outputs (app.js, app.css); nothing is written.
      outdir: `${UI_DIR}dist`,
      logLevel: 'silent',
    }),
  ]);
  const files = [
    { name: 'index.html', body: html },
    ...result.outputFiles.map((f) => ({ name: basename(f.path), body: f.text })),
  ];
  return files.map((f) => {
    const type = TYPES[f.name];
    if (!type) throw new Error(`unexpected UI build output ${f.name}`);
    return { ...f, type };
  });
}

/**
 * Scripts, styles and API calls from this origin only; no inline code, no framing. Images and media
 * may come from any http(s) origin: an asset's thumbnailUrl and mediaUrl point at the source system's
 * storage, and neither an image nor a media element runs script (the API accepts only http(s) URLs
 * for them, and no-referrer keeps the page's URL from those hosts).
 */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: https: http:",
  "media-src 'self' https: http:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ROUTES: [url: string, file: string][] = [
  ['/ui', 'index.html'],
  ['/ui/', 'index.html'],
  ['/ui/app.js', 'app.js'],
  ['/ui/app.css', 'app.css'],
];

/**
 * Serves the web UI at /ui. It is bundled on the first request and kept for the life of the process:
 * most apps (tests, scripts) never ask for it, so registering costs nothing.
 */
const ui: FastifyPluginCallback = (app, _opts, done) => {
  let bundle: Promise<Map<string, UiFile & { etag: string }>> | undefined;
  const files = () =>
    (bundle ??= bundleUi().then(
      (built) =>
        new Map(
          built.map((f) => [
            f.name,
            { ...f, etag: `"${createHash('sha256').update(f.body).digest('base64url').slice(0, 22)}"` },
          ]),
        ),
      // A failed build is not cached: the next request tries again.
      (err: unknown) => {
        bundle = undefined;
        throw err;
      },
    ));

  for (const [url, name] of ROUTES) {
    app.get(url, { schema: { hide: true } }, async (req, reply) => {
      const file = (await files()).get(name);
      if (!file) throw new Error(`the UI build has no ${name}`);
      void reply
        .header('content-type', file.type)
        // Revalidated on every load (a 304 when unchanged), so a new build shows at once.
        .header('cache-control', 'no-cache')
        .header('etag', file.etag)
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer');
      if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
      return reply.send(file.body);
    });
  }
  // The UI routes in the hash; /ui/analytics, the address dashboards are known by, leads there.
  app.get('/ui/analytics', { schema: { hide: true } }, (_req, reply) => reply.redirect('/ui/#/analytics'));
  done();
};

export default ui;
