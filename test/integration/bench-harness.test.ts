import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { BenchResult } from '../../bench/run.js';
import { processGroupMembers, startProcessGroup, type ProcessGroup } from '../support/processes.js';
const backend = inject('postgresUrl') ? 'server' : 'pglite';

/**
 * The benchmark harness end to end at a tiny scale, on the suite's backend: it proves the command
 * runs and writes every figure. It asserts no timings (bench/README.md: tests never time).
 */
describe(`npm run bench at a tiny scale (${backend})`, () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  /**
   * The harness runs in a process group of its own with the API processes and the bare Fastify
   * server it starts: whatever happens to the test, the whole group ends here, and none of it
   * may be left running.
   */
  let harness: ProcessGroup | undefined;
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    if (!harness) return;
    await harness.stop();
    expect(processGroupMembers(harness.child.pid!)).toEqual([]);
  });

  it(
    'loads, measures every suite beside its baseline (the events suite included), and writes the results',
    { timeout: 900_000 },
    async () => {
      const database = `bench_smoke_${randomBytes(4).toString('hex')}`;
      const env: Record<string, string | undefined> = {
        ...process.env,
        BENCH_DATABASE_URL: inject('postgresUrl') ?? undefined,
      };
      const redisUrl = inject('redisUrl');
      if (redisUrl) env.REDIS_URL = redisUrl;
      harness = startProcessGroup(
        process.execPath,
        [
          '--import',
          'tsx',
          'bench/run.ts',
          '--scale',
          '120',
          '--quick',
          '--db',
          backend,
          '--database',
          database,
          '--drop',
          '--out',
          out,
          '--ingest-assets',
          '20',
          '--http-requests',
          '40',
          '--http-seconds',
          '2',
          '--runs',
          '4',
          '--events-seconds',
          '1',
          '--events-max',
          '5000',
          '--metrics-runs',
          '4',
          '--responsive-assets',
          '20',
          '--responsive-seconds',
          '1',
        ],
        { env, timeoutMs: 890_000 },
      );
      const { code, signal } = await harness.exited;
      const { stdout, stderr } = harness.output();
      expect({ code, signal }, stderr.slice(-4_000)).toEqual({ code: 0, signal: null });
      // The harness stops every service it started before it ends (bench/processes.ts); tsx's
      // esbuild helpers end as their pipes close, a moment later.
      await expect.poll(() => processGroupMembers(harness!.child.pid!), { timeout: 15_000 }).toEqual([]);
      expect(stdout).toContain('**Search**');

      const [file] = readdirSync(out);
      // A PGlite run's file says so: it never overwrites the server's results of the day.
      expect(file).toMatch(backend === 'server' ? /-120-quick\.json$/ : /-120-pglite-quick\.json$/);
      const result = JSON.parse(readFileSync(join(out, file!), 'utf8')) as BenchResult;
      const t = result.targets[backend]!;
      expect(t.load.totalAssets).toBeGreaterThan(100); // 2% repeat an earlier file hash
      expect(t.load.canonicalDone && t.load.searchDone && t.load.graphDone).toBe(true);
      for (const kind of [
        'single term',
        'multi-term',
        'phrase',
        'filtered + faceted',
        'typo',
        'rare tag, browse',
        'rare tag, browse + facets',
        'rare tag + text',
      ]) {
        expect(t.search![kind]!.ours.p95.median).toBeGreaterThan(0);
        expect(t.search![kind]!.baseline!.p95.median).toBeGreaterThan(0);
      }
      expect(Object.keys(t.related!.kinds)).toEqual([
        'random asset',
        'on the supernode',
        'text signal (more like this), random asset',
        'related with the text signal (DiscoveryService.related), random asset',
        'related, text signal kept per version: first request (computed, kept)',
        'related, text signal kept per version: served kept',
        'path, random pair (≤ 4 links)',
      ]);
      expect(t.related!.supernode!.share).toBeGreaterThan(0.2);
      for (const c of Object.values(t.http!.cases)) {
        expect(Object.keys(c.statuses)).toEqual(['200']);
      }
      expect(t.ingest!.failedEnrichments).toBe(0);
      expect(t.ingest!.endToEnd.median).toBeGreaterThan(0);
      expect(t.ingest!.copyBaseline.median).toBeGreaterThan(0);
      expect(t.memory!.apiPeakRss).toBeGreaterThan(0);
      expect(t.memory!.bareFastifyPeakRss).toBeGreaterThan(0);
      // Search and related answered, idle and while the import ran, and the import settled.
      expect(t.responsive!.failedRequests).toBe(0);
      for (const kind of ['search', 'related'] as const) {
        expect(t.responsive!.idle[kind].p95.median).toBeGreaterThan(0);
        expect(t.responsive!.during[kind].p95.median).toBeGreaterThan(0);
      }
      expect(t.responsive!.importRate.median).toBeGreaterThan(0);

      const events = t.events!;
      // The Redis Streams log where the target has Redis; the Postgres log always.
      expect(events.ingest.map((p) => p.log)).toEqual(
        backend === 'server' ? ['redis', 'postgres'] : ['postgres'],
      );
      for (const p of events.ingest) {
        expect(p.accepted.median).toBeGreaterThan(0);
        expect(p.baseline!.perSecond.median).toBeGreaterThan(0);
        expect(p.lag.samples).toBeGreaterThan(0);
        expect(p.lag.timedOut).toBe(0);
        expect(p.rejected).toBe(0);
        expect(p.apiPeakRss).toBeGreaterThan(0);
      }
      expect(events.metrics[0]!.store).toBe('postgres');
      for (const m of events.metrics) {
        expect(m.dataset.loaded).toBe(1_200); // 10 events per asset of the scale
        expect(Object.keys(m.queries)).toHaveLength(5);
        for (const q of Object.values(m.queries)) {
          expect(Object.keys(q.statuses)).toEqual(['200']);
          expect(q.ours.p95.median).toBeGreaterThan(0);
          expect(q.baseline!.p95.median).toBeGreaterThan(0);
        }
      }
    },
  );
});
