import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEventBatch } from '../../domain/interaction-events.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the script as `npm run gen:events` does, with none of the test run's service variables. */
function genEvents(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/gen-events.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Tenant {
  assets: { id: string; title: string; tags: string[]; type: string; technicalMetadata: object }[];
  /** What POST /v1/events answers. */
  eventsStatus: number;
  batches: unknown[][];
}

/**
 * A stand-in API with a tenant per key: GET /v1/assets in pages of 100 with a cursor, and
 * POST /v1/events answering `eventsStatus`.
 */
function fakeApi(tenants: Record<string, Tenant>): Server {
  return createServer((req, res) => {
    const tenant = tenants[(req.headers.authorization ?? '').replace(/^Bearer /, '')];
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!tenant) return answer(401, { type: 'about:blank', title: 'Unauthorized', status: 401 });
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/v1/assets') {
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const to = from + Number(url.searchParams.get('limit'));
      return answer(200, {
        items: tenant.assets.slice(from, to),
        nextCursor: to < tenant.assets.length ? String(to) : null,
      });
    }
    if (req.method === 'POST' && url.pathname === '/v1/events') {
      void readJson(req).then((body) => {
        const { events } = body as { events: unknown[] };
        tenant.batches.push(events);
        if (tenant.eventsStatus !== 202)
          return answer(tenant.eventsStatus, {
            type: 'about:blank',
            title: 'refused',
            status: tenant.eventsStatus,
          });
        answer(202, { accepted: events.length, rejected: [] });
      });
      return;
    }
    answer(404, { type: 'about:blank', title: 'Not Found', status: 404 });
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** A tenant of `n` videos. */
function aTenant(n: number, eventsStatus = 202): Tenant {
  return {
    assets: Array.from({ length: n }, (_, i) => ({
      id: randomUUID(),
      title: `Talk ${i} on ${['oceans', 'forests', 'cities', 'music'][i % 4]} and ${['hope', 'risk', 'change'][i % 3]}`,
      tags: [['oceans', 'forests', 'cities', 'music'][i % 4]!],
      type: i % 5 === 0 ? 'AUDIO' : 'VIDEO',
      technicalMetadata: { durationSeconds: 120 + i },
    })),
    eventsStatus,
    batches: [],
  };
}

describe('npm run gen:events', () => {
  const tenants = { library: aTenant(250), forbidden: aTenant(20, 403), empty: aTenant(0) };
  let api: Server;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gen-events-'));
    api = fakeApi(tenants);
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => api.close(() => resolve()));
  });

  it("sends the events about the tenant's assets through POST /v1/events", async () => {
    const result = await genEvents(['--url', url, '--key', 'library', '--events', '2500', '--seed', '3']);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ assets: 250, events: 2_500 });

    const { batches, assets } = tenants.library;
    expect(batches.every((b) => b.length <= 1_000)).toBe(true);
    const events = batches.flat();
    expect(events).toHaveLength(2_500);
    const { valid, rejected } = checkEventBatch(events, new Set(), new Date());
    expect(rejected).toEqual([]);
    expect(new Set(valid.map((v) => v.event.id)).size).toBe(2_500);
    const ids = new Set(assets.map((a) => a.id));
    expect(valid.filter((v) => v.event.assetId && !ids.has(v.event.assetId))).toEqual([]);
  });

  it('writes NDJSON with --out, the same for the same seed and end', async () => {
    const args = ['--url', url, '--key', 'library', '--events', '1200', '--end', '2026-12-01T00:00:00Z'];
    const first = join(dir, 'a.ndjson');
    const second = join(dir, 'b.ndjson');
    const [a, b] = await Promise.all([
      genEvents([...args, '--out', first]),
      genEvents([...args, '--out', second]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const lines = readFileSync(first, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1_200);
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
    const { rejected } = checkEventBatch(
      lines.map((l) => JSON.parse(l) as unknown),
      new Set(),
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(rejected).toEqual([]);
  });

  it.each([
    ['forbidden', /may not send events \(403\).*events:write/],
    ['empty', /holds no assets.*load a library first/],
    ['unknown', /refused the key \(401/],
  ])('key "%s": exit 1 saying what failed and what to do', async (key, pattern) => {
    const result = await genEvents(['--url', url, '--key', key, '--events', '100']);
    expect(result.code).toBe(1);
    const last = result.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^error: /);
    expect(last).toMatch(pattern);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
