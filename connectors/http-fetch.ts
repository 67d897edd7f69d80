import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostOf, isPublicAddress } from '../domain/webhook-url.js';
import { ConnectorError, type FetchDocument, type FetchedDocument } from './connector.js';

export interface HttpFetchOptions {
  /** The whole request, from connecting to the last byte of the answer. */
  timeoutMs: number;
  /** Answers larger than this fail the fetch (a feed is not a media file). */
  maxBytes: number;
  /** Whether private, loopback and reserved addresses may be reached (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /**
   * The DNS lookup that refuses names resolving to private addresses, checked as the socket
   * connects (the webhook sender's `guardedLookup`, given by the composition root). Required when
   * private addresses are not allowed.
   */
  guardedLookup?: LookupFunction;
  /** Redirects followed, each target checked like the first. */
  maxRedirects?: number;
}

const USER_AGENT = 'media-discovery-connectors/1';

/**
 * A conditional GET within the same outbound policy as webhooks (docs/webhooks.md, "SSRF"):
 * addresses written in a URL are checked here, names as the socket connects; every connection is a
 * fresh one; the request is cut at `timeoutMs` and the answer at `maxBytes`.
 */
export function httpFetch(options: HttpFetchOptions): FetchDocument {
  if (!options.allowPrivate && !options.guardedLookup) {
    throw new Error('httpFetch: a guarded lookup is required unless private addresses are allowed');
  }
  const once = (
    target: string,
    validators: { etag?: string | undefined; lastModified?: string | undefined },
  ) =>
    new Promise<FetchedDocument | { redirect: string }>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        return reject(new ConnectorError(`invalid URL ${target}`));
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return reject(new ConnectorError(`unsupported protocol ${url.protocol}`));
      }
      const host = hostOf(url);
      if (!options.allowPrivate && isIP(host) && !isPublicAddress(host)) {
        return reject(new ConnectorError(`${host} is not a public address`));
      }
      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(new ConnectorError(message));
      };
      const timer = setTimeout(() => fail(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
      const client = url.protocol === 'https:' ? https : http;
      const req = client.request(url, {
        method: 'GET',
        agent: false,
        headers: {
          accept:
            'application/rss+xml, application/feed+json, application/json, application/xml;q=0.9, */*;q=0.5',
          'user-agent': USER_AGENT,
          ...(validators.etag ? { 'if-none-match': validators.etag } : {}),
          ...(validators.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
        },
        ...(options.allowPrivate ? {} : { lookup: options.guardedLookup }),
      });
      req.on('error', (err) => fail(err.message || String(err)));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const header = (name: string) => {
          const v = res.headers[name];
          return Array.isArray(v) ? v[0] : v;
        };
        if (status === 304 || (status >= 300 && status < 400)) {
          res.resume();
          settled = true;
          clearTimeout(timer);
          req.destroy();
          const location = header('location');
          if (status === 304) return resolve({ status: 304 });
          if (!location) return reject(new ConnectorError(`answered ${status} without a Location`));
          return resolve({ redirect: new URL(location, url).toString() });
        }
        if (status < 200 || status >= 300) return fail(`answered ${status}`);
        const declared = Number(header('content-length'));
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          return fail(`answer of ${declared} bytes is larger than the limit of ${options.maxBytes}`);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes)
            return fail(`answer larger than the limit of ${options.maxBytes} bytes`);
          chunks.push(chunk);
        });
        res.on('error', (err) => fail(err.message));
        res.on('aborted', () => fail('the answer was cut off'));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const etag = header('etag');
          const lastModified = header('last-modified');
          resolve({
            status: 200,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: header('content-type'),
            ...(etag ? { etag } : {}),
            ...(lastModified ? { lastModified } : {}),
          });
        });
      });
      req.end();
    });

  return async (url, validators) => {
    let target = url;
    for (let hop = 0; ; hop++) {
      const answer = await once(target, validators);
      if (!('redirect' in answer)) return answer;
      if (hop >= (options.maxRedirects ?? 3)) throw new ConnectorError(`more than ${hop} redirects`);
      target = answer.redirect;
    }
  };
}
