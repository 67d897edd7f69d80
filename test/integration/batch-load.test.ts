import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AssetInput } from '../../domain/asset.js';
import {
  batchLoad,
  formatSummary,
  loadIdentity,
  refusedError,
  type BatchLoadOptions,
} from '../../scripts/lib/batch-load.js';
import { CliError } from '../../scripts/lib/cli.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { track, waitFor } from '../support/processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'a-key-of-sixteen-characters';

/** Assets whose sourceId is their place in the input: what a stand-in API saw is readable. */
const assetsNumbered = (n: number, overrides: (i: number) => Partial<AssetInput> = () => ({})) =>
  Array.from({ length: n }, (_, i) =>
    anAssetInput({ sourceSystem: 'test', sourceId: String(i), ...overrides(i) }),
  );

/** Collects what a load writes on stderr. */
function sink() {
  let text = '';
  return {
    stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

/**
 * A stand-in for POST /v1/assets/batch: answers each batch with what `answer` says (the status;
 * 2xx counts each asset new), and records the sourceIds of every batch it took.
 */
class StandInApi {
  readonly taken: string[][] = [];
  answer: (sourceIds: string[], request: number) => { status: number; retryAfter?: number; hold?: boolean } =
    () => ({ status: 201 });
  requests = 0;
  private server: Server | undefined;
  url = '';

  async start() {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ hits: [], facets: { sourceSystem: [] } }));
        return;
      }
      const ids = (JSON.parse(body) as { assets: { sourceId: string }[] }).assets.map((a) => a.sourceId);
      const { status, retryAfter, hold } = this.answer(ids, this.requests++);
      if (hold) return; // never answered: the client is interrupted meanwhile
      res.writeHead(status, {
        'content-type': status < 300 ? 'application/json' : 'application/problem+json',
        ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
      });
      if (status < 300) {
        this.taken.push(ids);
        res.end(JSON.stringify({ created: ids.length, duplicates: 0, items: [] }));
      } else res.end(JSON.stringify({ title: 'refused', status, detail: `assets.0: answered ${status}` }));
    });
  }

  close() {
    this.server?.closeAllConnections();
    return new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('a load through the batch API resumes after an interruption and ends with a summary', () => {
  let api: StandInApi;
  let dir: string;
  beforeAll(async () => {
    api = new StandInApi();
    await api.start();
  });
  afterAll(() => api.close());
  afterEach(() => {
    api.taken.length = 0;
    api.requests = 0;
    api.answer = () => ({ status: 201 });
    rmSync(dir, { recursive: true, force: true });
  });

  const options = (extra: Partial<BatchLoadOptions> = {}): BatchLoadOptions => {
    dir ??= mkdtempSync(join(tmpdir(), 'batch-load-'));
    if (!existsSync(dir)) dir = mkdtempSync(join(tmpdir(), 'batch-load-'));
    return {
      url: api.url,
      key: KEY,
      batchSize: 10,
      wait: false,
      total: 50,
      unit: 'assets',
      statePath: join(dir, 'state.json'),
      identity: loadIdentity('test', { n: 50 }, api.url, KEY),
      retryDelaysMs: [],
      stream: sink().stream,
      ...extra,
    };
  };

  it('stops when the API goes away, says how far it got and how to go on; the same load then posts only the rest', async () => {
    const assets = assetsNumbered(50);
    api.answer = (_ids, n) => ({ status: n < 2 ? 201 : 503 });
    const first = options();
    const err = await batchLoad(assets, first).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toMatch(
      /answered 503: assets\.0: answered 503 \(1 attempts at assets 21–30\); 20 of 50 assets are posted; run the same command again to resume after them \(state in .*state\.json\)/,
    );
    expect(JSON.parse(readFileSync(first.statePath!, 'utf8'))).toMatchObject({ done: 20, created: 20 });

    api.answer = () => ({ status: 201 });
    const out = sink();
    const summary = await batchLoad(assets, options({ stream: out.stream }));
    expect(api.taken.flat()).toEqual(assets.map((a) => a.sourceId));
    expect(api.taken).toHaveLength(5);
    expect(summary).toMatchObject({
      total: 50,
      posted: 50,
      created: 50,
      duplicates: 0,
      failed: 0,
      resumed: 20,
    });
    expect(summary.perSecond).toBeGreaterThan(0);
    expect(out.text()).toContain(
      'resuming: 20 of 50 assets were posted by an earlier run (state in ' +
        first.statePath +
        '; --restart to post everything again)',
    );
    expect(out.text()).toMatch(
      /\nposted 50 of 50 assets \(20 by an earlier run\): 50 new, 0 duplicates, 0 failed; [\d.]+\/s, \d+s\n$/,
    );
    // Finished: the next run of the same command starts over.
    expect(existsSync(first.statePath!)).toBe(false);
  });

  it('retries a busy API (503 with Retry-After) and loses nothing', async () => {
    api.answer = (_ids, n) => (n === 1 ? { status: 503, retryAfter: 0 } : { status: 201 });
    const out = sink();
    const summary = await batchLoad(
      assetsNumbered(30),
      options({ total: 30, retryDelaysMs: [5_000], stream: out.stream }),
    );
    expect(summary).toMatchObject({ posted: 30, created: 30, failed: 0 });
    expect(api.taken.flat()).toHaveLength(30);
    expect(out.text()).toMatch(
      /^assets 11–20: POST \/v1\/assets\/batch answered 503: .*; trying again in 0s$/m,
    );
  });

  it('goes on past a batch the API refuses, names it in the summary, and a second run posts only that batch', async () => {
    const assets = assetsNumbered(50, (i) => (i === 23 ? { title: 'refused' } : {}));
    api.answer = (ids) => ({ status: ids.includes('23') ? 400 : 201 });
    const o = options();
    const out = sink();
    const summary = await batchLoad(assets, { ...o, stream: out.stream });
    expect(summary).toMatchObject({ posted: 40, created: 40, failed: 10 });
    expect(summary.failures).toEqual([
      {
        from: 20,
        to: 30,
        reason: expect.stringMatching(/^assets 21–30: POST \/v1\/assets\/batch answered 400/),
      },
    ]);
    expect(out.text()).toContain('posted 40 of 50 assets: 40 new, 0 duplicates, 10 failed;');
    expect(refusedError(summary, 'assets', o.statePath)?.message).toMatch(
      /^the API refused 10 assets \(assets 21–30: .*\): correct them, then run the same command again to post only those \(state in .*\)$/,
    );

    api.taken.length = 0;
    api.answer = () => ({ status: 201 });
    const again = await batchLoad(assets, options());
    expect(api.taken).toEqual([assets.slice(20, 30).map((a) => a.sourceId)]);
    expect(again).toMatchObject({ posted: 50, created: 50, failed: 0, resumed: 40 });
    expect(refusedError(again, 'assets', o.statePath)).toBeUndefined();
  });

  it("refuses another load's state file, naming --restart, and --restart starts over", async () => {
    const o = options();
    writeFileSync(
      o.statePath!,
      JSON.stringify({ version: 1, identity: 'another', done: 10, created: 10, duplicates: 0, failed: [] }),
    );
    await expect(batchLoad(assetsNumbered(50), o)).rejects.toThrow(
      /holds the state of another load: pass --restart to replace it, or --state with another file/,
    );
    const summary = await batchLoad(assetsNumbered(50), { ...o, restart: true });
    expect(summary).toMatchObject({ posted: 50, resumed: 0 });
  });

  it('says a damaged state file is one, naming --restart', async () => {
    const o = options();
    writeFileSync(o.statePath!, '{"version": 1, "ident');
    await expect(batchLoad(assetsNumbered(5), o)).rejects.toThrow(
      /is not a load's state \(empty or damaged\): pass --restart to start over/,
    );
  });

  it('formats the summary', () => {
    expect(
      formatSummary(
        {
          total: 2550,
          posted: 2550,
          created: 2540,
          duplicates: 10,
          failed: 0,
          resumed: 1000,
          seconds: 31,
          perSecond: 50,
          failures: [],
        },
        'talks',
      ),
    ).toBe(
      'posted 2,550 of 2,550 talks (1,000 by an earlier run): 2,540 new, 10 duplicates, 0 failed; 50/s, 31s',
    );
  });

  it('npm run gen: Ctrl-C mid-load says where it stands; the same command resumes after what was posted', async () => {
    const state = join(mkdtempSync(join(tmpdir(), 'batch-load-gen-')), 'gen.json');
    const args = [
      '--assets',
      '30',
      '--batch',
      '10',
      '--vocabulary',
      'builtin',
      '--key',
      KEY,
      '--url',
      api.url,
    ];
    const gen = () =>
      track(
        spawn(
          process.execPath,
          ['--import', 'tsx', 'scripts/generate-library.ts', ...args, '--state', state],
          {
            cwd: root,
            env: { PATH: process.env.PATH },
          },
        ),
      );
    let second = false;
    // The second batch is never answered: the run is interrupted while it waits.
    api.answer = (_ids, n) => (n === 1 ? ((second = true), { status: 201, hold: true }) : { status: 201 });
    const child = gen();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor('the second batch to arrive', () => Promise.resolve(second), { timeoutMs: 120_000 });
      child.kill('SIGINT');
      expect(await exited).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    expect(stderr).toMatch(
      /interrupted: posted 10 of 30 assets: 10 new, 0 duplicates, 0 failed; .*\n10 of 30 assets are posted; run the same command again to resume after them \(state in .*gen\.json\)\n$/,
    );
    const first = api.taken.flat();
    expect(first).toHaveLength(10);

    api.answer = () => ({ status: 201 });
    const again = gen();
    let stdout = '';
    again.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    expect(await new Promise((resolve) => again.once('exit', resolve))).toBe(0);
    const posted = api.taken.flat();
    expect(posted).toHaveLength(30);
    expect(new Set(posted).size).toBe(30);
    expect(JSON.parse(stdout.trim())).toMatchObject({
      total: 30,
      posted: 30,
      created: 30,
      resumed: 10,
      failed: 0,
    });
    rmSync(join(state, '..'), { recursive: true, force: true });
  });
});

describe(`a resumed load on the service (${inject('postgresUrl') ? 'Postgres server' : 'PGlite'})`, () => {
  let t: TestApp;
  let url: string;
  let key: string;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    key = (await t.keyFor('loads', 'EDITOR')).authorization.replace('Bearer ', '');
    dir = mkdtempSync(join(tmpdir(), 'batch-load-app-'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates each asset once: a crash mid-load, then the same load resumed, then again without its state (all duplicates)', async () => {
    const assets = Array.from({ length: 30 }, () => anAssetInput());
    const statePath = join(dir, 'state.json');
    const o: BatchLoadOptions = {
      url,
      key,
      batchSize: 10,
      wait: false,
      total: 30,
      unit: 'assets',
      statePath,
      identity: loadIdentity('test', 'app', url, key),
      stream: sink().stream,
    };
    // The input ends in an error after 20 assets, as a reader of a file that went away would.
    function* crashing() {
      yield* assets.slice(0, 20);
      throw new Error('the input went away');
    }
    await expect(batchLoad(crashing(), o)).rejects.toThrow('the input went away');

    // Counts are of the whole load: 20 new before the crash, 10 after.
    expect(await batchLoad(assets, o)).toMatchObject({ posted: 30, created: 30, duplicates: 0, resumed: 20 });
    // Without a state, everything is posted again and the API's file hashes keep one of each.
    expect(await batchLoad(assets, o)).toMatchObject({ posted: 30, created: 0, duplicates: 30, resumed: 0 });
    const list = await t.app.inject({
      url: '/v1/assets?limit=100',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(30);
  });
});
