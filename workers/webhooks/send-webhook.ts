import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostOf, isPublicAddress } from '../../domain/webhook-url.js';
import type { SendResult } from '../../services/webhook-delivery-service.js';
import { errorMessage } from '../../domain/errors.js';

export interface SendOptions {
  /** The whole attempt, from connecting to the end of the answer. */
  timeoutMs: number;
  /** Whether private, loopback and reserved addresses may be reached (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** Resolves host names; replaceable in tests. */
  resolve?: typeof dnsLookup;
}

/** How much of a receiver's answer is kept: enough to see an error message, no more. */
export const RESPONSE_SNIPPET = 256;
const READ_AT_MOST = 4 * 1024;
const USER_AGENT = 'media-discovery-webhooks/1';

export class AddressNotAllowedError extends Error {
  override name = 'AddressNotAllowedError';
  readonly code = 'EADDRNOTALLOWED';
}

/**
 * A DNS lookup that refuses names resolving to any address that is not public. It runs when the
 * socket connects, so the address checked is the address used: a name cannot pass a check and then
 * resolve elsewhere (DNS rebinding).
 */
export function guardedLookup(resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused || addresses.length === 0) {
        const why = refused ? `resolves to ${refused.address}` : 'resolves to nothing';
        return callback(
          new AddressNotAllowedError(`${hostname} ${why}, which is not a public address`),
          '',
          0,
        );
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * POSTs one webhook request. Never throws: every outcome is a result. Redirects are not followed
 * (a 3xx is a failure), the attempt is cut at `timeoutMs`, and at most a snippet of the answer is
 * read. Built on node:http rather than fetch because fetch cannot check the address it connects
 * to without undici's Agent, which is not a dependency of the service.
 */
export function sendWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const failed = (error: string, statusCode: number | null = null, response: string | null = null) => ({
    ok: false,
    statusCode,
    error: error.slice(0, 500),
    response,
    durationMs: elapsed(),
  });

  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve(failed('invalid URL'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve(failed(`unsupported protocol ${url.protocol}`));
  }
  const host = hostOf(url);
  if (!options.allowPrivate && isIP(host) && !isPublicAddress(host)) {
    return Promise.resolve(failed(`${host} is not a public address`));
  }

  return new Promise<SendResult>((resolve) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish(failed(`timed out after ${options.timeoutMs} ms`));
      req?.destroy();
    }, options.timeoutMs);
    const client = url.protocol === 'https:' ? https : http;
    try {
      req = client.request(url, {
        method: 'POST',
        // A fresh connection each time: nothing pooled outlives the attempt, and every connection is
        // checked by the lookup.
        agent: false,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': USER_AGENT,
        },
        ...(options.allowPrivate ? {} : { lookup: guardedLookup(options.resolve) }),
      });
    } catch (err) {
      return finish(failed(errorMessage(err)));
    }

    req.on('error', (err) => finish(failed(err.message || String(err))));
    req.on('response', (res) => {
      const statusCode = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const response = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_SNIPPET) || null;
        res.destroy();
        if (statusCode >= 200 && statusCode < 300) {
          finish({ ok: true, statusCode, error: null, response, durationMs: elapsed() });
        } else if (statusCode >= 300 && statusCode < 400) {
          finish(failed(`answered ${statusCode}; redirects are not followed`, statusCode, response));
        } else {
          finish(failed(`answered ${statusCode}`, statusCode, response));
        }
      };
      res.on('data', (chunk: Buffer) => {
        if (size >= READ_AT_MOST) return;
        chunks.push(chunk);
        size += chunk.length;
        // Enough to show; the rest of the answer is not read.
        if (size >= READ_AT_MOST) done();
      });
      res.on('end', done);
      res.on('error', (err) => finish(failed(err.message, statusCode)));
    });
    req.end(body);
  });
}
