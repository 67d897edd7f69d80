import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, isAbort } from '../../ui/api.js';

/**
 * The web UI's fetch client. A request aborted after the answer's headers arrived (the search box
 * aborts a suggestion request on every keystroke) must reject as aborted: it once read the half
 * body as null and resolved with it, and the search box then threw reading `null.suggestions`.
 */
describe("the web UI's API client", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.startsWith('/stall')) {
        // Half a body, then nothing: the client aborts while reading it.
        res.write('{"suggestions":[');
        return;
      }
      res.end('{"suggestions":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('rejects as aborted when aborted while the body is read, never resolving with null', async () => {
    const client = new ApiClient('key');
    const ctl = new AbortController();
    // Abort once fetch has answered with the headers, while the body is still coming.
    const realFetch = globalThis.fetch;
    const answered = new Promise<void>((resolve) => {
      globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
        const res = await realFetch(...args);
        resolve();
        return res;
      };
    });
    try {
      const answer = client.get<{ suggestions: unknown[] }>(`${base}/stall`, { signal: ctl.signal });
      await answered;
      ctl.abort();
      const outcome = await answer.then(
        (body) => ({ body }),
        (err: unknown) => ({ aborted: isAbort(err) }),
      );
      expect(outcome).toEqual({ aborted: true });
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('answers the body when nothing aborts it', async () => {
    expect(await new ApiClient('key').get(`${base}/whole`)).toEqual({ suggestions: [] });
  });
});
