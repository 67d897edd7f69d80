/**
 * Rebuilds a projection online: a fresh copy beside the live one, written to with the live one,
 * switched in atomically, checked against the canonical assets, then the old copy dropped.
 *   npm run reindex -- --target search|graph [--page-size 500] [--grace-seconds 60] [--json]
 *   npm run reindex -- --target search|graph --abort   (give up a rebuild a killed run left building)
 * Run it again after a crash or a kill: it continues from the last committed page. Uses the
 * service's configuration (DATABASE_URL, ELASTICSEARCH_URL, NEO4J_URL…); with embedded PGlite stop
 * the service first. Progress goes to stderr and to `projection_rebuilds` (and /metrics).
 * Exit status: 0 when the new copy is live, 2 when its check failed and the old copy was swapped
 * back, 1 on error or when the backend cannot be rebuilt online (a Neo4j graph).
 */
import { z } from 'zod';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';
import { parsedArgs } from './lib/args.js';
import { runCli } from './lib/cli.js';
import type { RebuildProgress } from '../services/rebuild-service.js';
import { REBUILD_TARGETS } from '../store/projection-rebuilds-repository.js';

const Args = z.object({
  target: z.enum(REBUILD_TARGETS),
  json: z.boolean(),
  abort: z.boolean(),
  'page-size': z.coerce.number().int().min(1).max(5_000),
  'grace-seconds': z.coerce.number().min(0),
});

const duration = (seconds: number) =>
  seconds >= 60
    ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.round(seconds)}s`;

/** One line per phase, and while copying at most one a second. */
function printer(): (p: RebuildProgress) => void {
  let phase = '';
  let printed = 0;
  return (p) => {
    const now = Date.now();
    if (p.phase === phase && now - printed < 1_000) return;
    phase = p.phase;
    printed = now;
    if (p.phase !== 'backfill') {
      console.error(`${p.target} ${p.phase} (${duration(p.elapsed)})`);
      return;
    }
    const share = p.expected > 0 ? ` of ${p.expected} (${((100 * p.copied) / p.expected).toFixed(1)}%)` : '';
    const rate = p.elapsed > 0 ? (p.copied - p.copiedBefore) / p.elapsed : 0;
    const left =
      rate > 0 && p.expected > p.copied ? `, about ${duration((p.expected - p.copied) / rate)} left` : '';
    console.error(
      `${p.target} backfill page ${p.pages}: ${p.copied}${share} assets, ${Math.round(rate)}/s, ${duration(p.elapsed)}${left}`,
    );
  };
}

const USAGE =
  'npm run reindex -- --target search|graph [--page-size 500] [--grace-seconds 60] [--json] [--abort]';

runCli(async () => {
  const args = parsedArgs(Args, USAGE, {
    target: { type: 'string' },
    json: { type: 'boolean', default: false },
    abort: { type: 'boolean', default: false },
    'page-size': { type: 'string', default: '500' },
    'grace-seconds': { type: 'string', default: '60' },
  });
  // Workers stay off: the rebuild copies and checks; it does not take jobs from the queue.
  // An outdated search mapping is what a rebuild repairs: start on it, with a warning.
  const container = await createContainer(loadConfig(), {
    rebuilding: true,
    log: {
      info: () => undefined,
      warn: (obj, msg) => console.error(`warning: ${msg}`, obj),
      error: (obj, msg) => console.error(`error: ${msg}`, obj),
    },
  });
  try {
    if (args.abort) {
      await container.rebuild.abort(args.target);
      console.log(`${args.target}: rebuild aborted; writes go to the live tables only`);
      return;
    }
    const result = await container.rebuild.rebuild(args.target, {
      pageSize: args['page-size'],
      graceMs: args['grace-seconds'] * 1000,
      onProgress: printer(),
    });
    if (args.json) console.log(JSON.stringify(result, null, 2));
    else {
      const d = result.drift;
      console.log(
        `${result.target}: ${result.state}${result.resumed ? ' (resumed)' : ''}, ${result.copied} assets copied in ` +
          `${duration(result.seconds)}; ${result.repairedBeforeSwitch} repaired before the switch; after it ` +
          `${d.missing} missing, ${d.stale} stale, ${d.orphaned} orphaned`,
      );
      if (result.state === 'failed')
        console.log('the old copy is live again; the failed one is kept until the next run');
    }
    if (result.state === 'failed') process.exitCode = 2;
  } finally {
    await container.close();
  }
});
