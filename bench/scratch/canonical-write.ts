/**
 * The canonical write alone, in process (no HTTP, no workers): `IngestService.ingest` in batches of
 * `--batch` assets into a fresh tenant, beside a plain `COPY` of the same asset rows into a scratch
 * table `LIKE assets` in the same run, rounds alternating (issue 23, "The canonical write").
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> npx tsx bench/scratch/canonical-write.ts \
 *     [--assets 2000] [--batch 1000] [--rounds 3]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ingestInputs, copyBaseline } from '../suites/ingest.js';
import { ingestService } from '../../runtime/container.js';
import { openDatabase } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { dropIngestTenants } from '../suites/ingest.js';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
  },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL: the Postgres server database to write into');
const db = await openDatabase({ url, poolSize: 4 });
await migrate(db);
await dropIngestTenants(db);
const inputs = ingestInputs(Number(values.assets));
const batch = Number(values.batch);
const sut = ingestService(db, () => {});
const ours: number[] = [];
const copies: number[] = [];
try {
  for (let r = 0; r < Number(values.rounds); r++) {
    const tenantId = `ingest-cw-${randomUUID().slice(0, 8)}`;
    await tenantsRepository.ensure(db, tenantId);
    const t0 = performance.now();
    await inTenantScope(tenantId, async () => {
      for (let i = 0; i < inputs.length; i += batch)
        await sut.ingest({ tenantId, actor: 'bench' }, inputs.slice(i, i + batch));
    });
    ours.push((inputs.length * 1000) / (performance.now() - t0));
    copies.push((await copyBaseline(db, inputs, 1)).median);
  }
} finally {
  await dropIngestTenants(db);
  await db.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) =>
  `${median(xs).toFixed(0)} [${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}]`;
console.log(
  `${inputs.length} assets in batches of ${batch}, ${values.rounds} rounds: canonical write ${fmt(ours)} assets/s; ` +
    `COPY ${fmt(copies)} rows/s; COPY / canonical write ${(median(copies) / median(ours)).toFixed(1)}×`,
);
