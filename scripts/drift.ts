/**
 * Checks the projections against the canonical assets, and with --repair puts them right.
 *   npm run drift -- [--repair] [--tenant default] [--page-size 500] [--grace-seconds 60]
 *                    [--stuck-minutes 15] [--json]
 * Uses the same configuration as the service (DATABASE_URL, ELASTICSEARCH_URL, NEO4J_URL…). With
 * embedded PGlite, stop the service first: one process at a time may open its data directory.
 * Exit status: 0 when nothing drifted (or everything found was repaired), 2 when drift remains (found
 * without --repair, or assets the repair could not project, which are listed and skipped), 1 on error.
 */
import { z } from 'zod';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';
import { parsedArgs } from './lib/args.js';
import { runCli } from './lib/cli.js';

const USAGE =
  'npm run drift -- [--repair] [--tenant default] [--page-size 500] [--grace-seconds 60] [--json]';

const Args = z.object({
  repair: z.boolean(),
  json: z.boolean(),
  tenant: z.array(z.string().min(1)).optional(),
  'page-size': z.coerce.number().int().min(1).max(5_000),
  'grace-seconds': z.coerce.number().min(0),
  'stuck-minutes': z.coerce.number().min(0),
});

runCli(async () => {
  const args = parsedArgs(Args, USAGE, {
    repair: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    tenant: { type: 'string', multiple: true },
    'page-size': { type: 'string', default: '500' },
    'grace-seconds': { type: 'string', default: '60' },
    'stuck-minutes': { type: 'string', default: '15' },
  });
  // Workers stay off: the check reads and repairs; it does not take jobs from the queue.
  const container = await createContainer(loadConfig());
  try {
    const report = await container.drift.check({
      repair: args.repair,
      pageSize: args['page-size'],
      graceMs: args['grace-seconds'] * 1000,
      stuckAfterMs: args['stuck-minutes'] * 60_000,
      ...(args.tenant ? { tenants: args.tenant } : {}),
      onProgress: (p) =>
        console.error(
          `${p.tenantId} ${p.phase} page ${p.page}: ${p.scanned} read, ${p.found} drifted in this page`,
        ),
    });
    if (args.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(
        `${report.tenants} tenant(s), ${report.assets} asset(s) (${report.recent} too recent to judge)`,
      );
      for (const [projection, c] of Object.entries(report.counts)) {
        console.log(`  ${projection}: ${c.missing} missing, ${c.stale} stale, ${c.orphaned} orphaned`);
      }
      console.log(`  stuck in QUEUED or PROCESSING: ${report.stuck}`);
      for (const s of report.stuckSamples) {
        console.log(
          `  stuck ${s.status} ${s.tenantId}/${s.assetId} v${s.version} since ${s.since.toISOString()}`,
        );
      }
      for (const s of report.samples) {
        console.log(
          `  ${s.projection} ${s.kind} ${s.tenantId}/${s.assetId} canonical v${s.canonical ?? '-'} held v${s.held ?? '-'}`,
        );
      }
      if (report.repaired) {
        console.log(
          `repaired: ${report.repaired.reprojected} re-projected, ${report.repaired.removed} orphan(s) removed, ` +
            `${report.repaired.requeued} stuck asset(s) queued for enrichment again`,
        );
      }
      for (const u of report.unrepaired) {
        console.log(`  not repaired: ${u.tenantId}/${u.assetId} (${u.projections.join(', ')}): ${u.error}`);
      }
    }
    if ((report.total > 0 && !args.repair) || report.unrepaired.length > 0) process.exitCode = 2;
  } finally {
    await container.close();
  }
});
