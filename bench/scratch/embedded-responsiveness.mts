/**
 * The embedded default's API during an import, with the extraction in line or on threads: starts
 * `api/server.ts` on a fresh PGlite directory with EXTRACTION_THREADS=<n>, loads 50 assets, probes
 * `GET /v1/search` (one client, 50 ms apart) for 15 s idle, then posts 450 more (batches of 100, no
 * wait) and probes again until `/v1/pipeline/status` says idle. Prints one JSON line.
 *   npx tsx bench/scratch/embedded-responsiveness.mts 1
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticLibrary } from '../../scripts/lib/synthetic-library.js';

const threads = process.argv[2]!;
const port = 3900 + Number(threads);
const dir = mkdtempSync(join(tmpdir(), 'wscale-pg-'));
const key = 'resp-bench-key-0123456789';
const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
  cwd: new URL('../..', import.meta.url).pathname,
  env: {
    PATH: process.env.PATH,
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    BOOTSTRAP_API_KEY: key,
    LOG_LEVEL: 'warn',
    EXTRACTION_THREADS: threads,
    RATE_LIMIT_PER_MINUTE: '10000000',
    DRIFT_CHECK_ON_START: 'false',
  },
  stdio: 'ignore',
});
const url = `http://127.0.0.1:${port}`;
const h = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
async function probe(seconds: number, until?: () => boolean) {
  const lat: number[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end && !until?.()) {
    const t0 = performance.now();
    const r = await fetch(`${url}/v1/search?q=ocean+climate`, { headers: h });
    await r.arrayBuffer();
    lat.push(performance.now() - t0);
    await sleep(50);
  }
  return lat;
}
try {
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  const inputs = [...syntheticLibrary({ assets: 500, seed: 5, duplicateRate: 0 })].map((a) => ({
    ...a,
    contributors: [],
    operationalTags: [],
  }));
  // A few assets first, so that the search has something to find.
  await fetch(`${url}/v1/assets/batch?wait=true`, {
    method: 'POST',
    headers: h,
    body: JSON.stringify({ assets: inputs.slice(0, 50) }),
  });
  const idle = await probe(15);
  const t0 = performance.now();
  for (let i = 50; i < 500; i += 100)
    await fetch(`${url}/v1/assets/batch`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ assets: inputs.slice(i, i + 100) }),
    });
  let idleNow = false;
  const poll = (async () => {
    while (!idleNow) {
      const s = (await (await fetch(`${url}/v1/pipeline/status`, { headers: h })).json()) as {
        idle: boolean;
      };
      idleNow = s.idle;
      await sleep(500);
    }
  })();
  const busy = await probe(600, () => idleNow);
  await poll;
  const secs = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      threads,
      idleP95: p95(idle).toFixed(1),
      idleN: idle.length,
      importP95: p95(busy).toFixed(1),
      importN: busy.length,
      importSeconds: secs.toFixed(1),
      assetsPerSec: (450 / secs).toFixed(1),
    }),
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
