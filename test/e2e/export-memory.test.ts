import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_PAGE_SIZE } from '../../services/export-service.js';
import { createTestApp, type TestApp } from '../support/app.js';

/** A full collection on demand, whether or not the worker was started with --expose-gc. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The JS heap and the buffers outside it (a string written to a socket becomes one). */
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const TENANT = 'bulk-export';
const ROWS = 30_000;
/** Each row carries about 1 KB of description: the whole file is some 34 MB. */
const DESCRIPTION = 'lorem ipsum '.repeat(85);
/**
 * Heap growth allowed while the file streams. A page is ~0.6 MB of CSV; buffering the whole export
 * (rows or text) cost about 40 MB when tried.
 */
const HEAP_BOUND_BYTES = 20 * 1024 * 1024;

/**
 * An export of many rows in constant memory: it reads a page at a time and only as fast as the
 * client takes the file. Rows are made in SQL (a realistic table, without a minute of ingest).
 */
/** A GET on a connection of its own, answered once the headers are in; the body is read as it arrives. */
const request = (url: string, headers: Record<string, string>) =>
  new Promise<IncomingMessage>((resolve, reject) => {
    get(url, { headers, agent: false }, resolve).on('error', reject);
  });

describe('CSV export of a large collection', () => {
  let t: TestApp;
  let headers: { authorization: string };
  let url: string;
  let pageReads = 0;
  const gc = collector();

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    headers = await t.keyFor(TENANT, 'CONTENT_MANAGER');
    await t.container.db.query(
      `INSERT INTO assets (tenant_id, id, type, title, description, file_hash, source_system, given_tags,
         operational_tags, technical_metadata, status, version, version_id, created_at)
       SELECT $1, gen_random_uuid(), 'VIDEO', 'Bulk asset ' || i, $3, md5(i::text) || md5((-i)::text), 'bulk',
         '["alpha", "beta"]', '["batch:7"]', jsonb_build_object('durationSeconds', i % 3600), 'PROCESSED', 1,
         gen_random_uuid(), timestamptz '2020-01-01' + i * interval '1 second'
       FROM generate_series(1, $2::int) AS i`,
      [TENANT, ROWS, DESCRIPTION],
    );
    // Counts the export's page reads, to see how far ahead of the client the server reads.
    const db = t.container.db;
    const transaction = db.transaction.bind(db);
    db.transaction = ((fn: Parameters<typeof db.transaction>[0]) =>
      transaction((tx) =>
        fn({
          query: (text, params) => {
            if (text.includes('AS position')) pageReads++;
            return tx.query(text, params);
          },
        }),
      )) as typeof db.transaction;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/v1/exports/assets.csv`;
  }, 60_000);
  afterAll(async () => {
    // A failed test may leave an export paused mid-file; closing would wait for it.
    t?.app.server.closeAllConnections();
    await t?.close();
  });

  it('streams every row while the heap stays within a bound', async () => {
    gc();
    const baseline = used();
    let peak = 0;
    let lines = 0;
    let chunks = 0;
    const res = await request(url, headers);
    expect(res.statusCode).toBe(200);
    for await (const chunk of res as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++;
      if (++chunks % 32 === 0) {
        gc();
        peak = Math.max(peak, used() - baseline);
      }
    }
    gc();
    peak = Math.max(peak, used() - baseline);
    expect(lines).toBe(ROWS + 1);
    expect(peak, `heap grew by ${(peak / 2 ** 20).toFixed(1)} MB`).toBeLessThan(HEAP_BOUND_BYTES);
  }, 60_000);

  it('reads no further ahead than the socket buffers while the client pauses, and audits an abandoned export', async () => {
    const pages = Math.ceil(ROWS / EXPORT_PAGE_SIZE);
    pageReads = 0;
    const res = await request(url, headers);
    expect(res.statusCode).toBe(200);
    res.pause();
    // The client stops reading: the server fills the socket and its buffers, then must wait.
    await new Promise((r) => setTimeout(r, 1_500));
    const readWhilePaused = pageReads;
    expect(readWhilePaused).toBeGreaterThan(0);
    expect(readWhilePaused, `${readWhilePaused} of ${pages} pages read`).toBeLessThan(pages / 4);
    await new Promise((r) => setTimeout(r, 500));
    expect(pageReads).toBe(readWhilePaused);

    res.destroy();
    let audit: { status: string; details: { state: string; rows: number } } | undefined;
    for (let i = 0; i < 100 && audit?.details.state !== 'aborted'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [audit] = await t.container.db.query<NonNullable<typeof audit>>(
        `SELECT status, details FROM action_records
         WHERE tenant_id = $1 AND action_type = 'ASSET_EXPORT' ORDER BY started_at DESC LIMIT 1`,
        [TENANT],
      );
    }
    expect(audit).toMatchObject({ status: 'FAILED', details: { state: 'aborted' } });
    expect(audit!.details.rows).toBeGreaterThan(0);
    expect(audit!.details.rows).toBeLessThan(ROWS);
  }, 60_000);
});
