/**
 * Simulates interaction events over the key's tenant's library and sends them to POST /v1/events,
 * or writes them as NDJSON for a benchmark.
 *   npm run gen:events -- --key KEY --events 100000 --seed 1 [--days 7] [--url http://localhost:3000]
 *   npm run gen:events -- --key KEY --events 1000000 --seed 1 --out events.ndjson [--end 2026-12-06T00:00:00Z]
 * The assets are read through GET /v1/assets (the key needs to read assets; sending needs events:write
 * too, e.g. the DEVELOPER role). The model is scripts/lib/synthetic-events.ts's.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { EventBatcher, type EventBatchError, type RejectedEvent } from '../openapi/client/src/index.js';
import { EVENT_MAX_AGE_MS } from '../domain/interaction-events.js';
import { apiRequest, DEFAULT_API_KEY, DEFAULT_API_URL } from './lib/api-client.js';
import { CliError, networkFailure, numberFlag, parseCli, runCli } from './lib/cli.js';
import { progress } from './lib/progress.js';
import { syntheticEvents, type EventAsset, type SyntheticEvent } from './lib/synthetic-events.js';

const USAGE =
  'npm run gen:events -- --key KEY [--events 100000] [--seed 1] [--days 7] [--zipf 1.1] [--progress-every 30] [--end ISO-TIME] [--url http://localhost:3000] [--out FILE] [--concurrency 2]';

runCli(async () => {
  const { values } = parseCli(USAGE, {
    events: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    days: { type: 'string', default: '7' },
    zipf: { type: 'string', default: '1.1' },
    'progress-every': { type: 'string', default: '30' },
    end: { type: 'string' },
    url: { type: 'string', default: DEFAULT_API_URL },
    key: { type: 'string' },
    out: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
  });
  const key = values.key ?? DEFAULT_API_KEY;
  if (!key)
    throw new CliError(
      'no API key: pass --key with a key of the tenant whose library the events are about (npm run keys -- create --tenant sample --role DEVELOPER), or set API_KEY',
    );
  const total = numberFlag('events', values.events, { min: 1 });
  const seed = numberFlag('seed', values.seed);
  // The API refuses events older than its limit; a day's margin for the time the load takes.
  const days = numberFlag('days', values.days, { min: 1, max: EVENT_MAX_AGE_MS / 86_400_000 - 1 });
  const zipfExponent = numberFlag('zipf', values.zipf, { min: 0, max: 5, integer: false });
  const progressEverySeconds = numberFlag('progress-every', values['progress-every'], { min: 1, max: 3600 });
  const concurrency = numberFlag('concurrency', values.concurrency, { min: 1, max: 64 });
  const end = values.end === undefined ? new Date() : new Date(values.end);
  if (Number.isNaN(end.getTime()))
    throw new CliError(`--end must be a time such as 2026-12-06T00:00:00Z, not "${values.end}"`);
  if (!values.out && end.getTime() > Date.now())
    throw new CliError(
      '--end is in the future: the API refuses events from the future; leave --end out to end now',
    );

  const assets = await readLibrary(values.url, key);
  const events = syntheticEvents(assets, {
    events: total,
    seed,
    end,
    days,
    zipfExponent,
    progressEverySeconds,
  });
  const summary = values.out
    ? await writeNdjson(events, values.out, total)
    : await send(events, values.url, key, total, concurrency);
  console.log(JSON.stringify({ assets: assets.length, ...summary }));
});

/** Every asset of the key's tenant, page by page. */
async function readLibrary(url: string, key: string): Promise<EventAsset[]> {
  interface Page {
    items: {
      id: string;
      title: string;
      tags: string[];
      type: string;
      technicalMetadata?: { durationSeconds?: number } | null;
    }[];
    nextCursor: string | null;
  }
  const assets: EventAsset[] = [];
  const bar = progress({ unit: 'assets read' });
  let cursor: string | null = null;
  try {
    do {
      const query: string = `/v1/assets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await (await apiRequest(url, key, 'GET', query)).json()) as Page;
      for (const a of page.items)
        assets.push({
          id: a.id,
          title: a.title,
          tags: a.tags,
          type: a.type,
          durationSeconds: a.technicalMetadata?.durationSeconds ?? null,
        });
      bar.update(assets.length);
      cursor = page.nextCursor;
    } while (cursor);
  } finally {
    bar.finish();
  }
  if (assets.length === 0)
    throw new CliError(
      "the key's tenant holds no assets to simulate events over: load a library first (npm run gen -- --url … --key KEY, or npm run import:ted -- --key KEY)",
    );
  return assets;
}

async function writeNdjson(events: Iterable<SyntheticEvent>, file: string, total: number) {
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => {
    throw new CliError(
      `cannot write ${file} (${networkFailure(err)}): pass --out with a path you can write to`,
    );
  });
  const bar = progress({ unit: 'events', total });
  let written = 0;
  try {
    for (const event of events) {
      if (!out.write(JSON.stringify(event) + '\n')) await Promise.race([once(out, 'drain'), failed]);
      if (++written % 1_000 === 0) bar.update(written);
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } finally {
    bar.update(written);
    bar.finish();
  }
  return { events: written, file };
}

/** Through the partner client's EventBatcher; any batch given up or event rejected fails the run. */
async function send(
  events: Iterable<SyntheticEvent>,
  url: string,
  key: string,
  total: number,
  concurrency: number,
) {
  const base = url.replace(/\/$/, '');
  let rejected: { first: RejectedEvent; count: number } | undefined;
  let failure: EventBatchError | undefined;
  const batcher = new EventBatcher({
    baseUrl: base,
    apiKey: key,
    concurrency,
    // Enough to keep the requests busy; a failure is noticed within a few batches.
    maxQueueSize: 20_000,
    onRejected: (r) =>
      (rejected = { first: rejected?.first ?? r[0]!, count: (rejected?.count ?? 0) + r.length }),
    onError: (err) => (failure ??= err),
  });
  const bar = progress({ unit: 'events', total });
  let added = 0;
  try {
    for (const event of events) {
      // The first failure ends the run: the rest would fail the same way.
      if (failure || rejected) break;
      while (!batcher.add(event)) await batcher.ready();
      if (++added % 1_000 === 0) bar.update(added - batcher.size);
    }
    // After a failure the process exits with it: nothing more to wait for.
    if (!failure && !rejected) await batcher.close();
  } finally {
    bar.update(added - batcher.size);
    bar.finish();
  }
  if (failure) throw sendFailure(failure, base);
  if (rejected)
    throw new CliError(
      `the API rejected ${rejected.count} events (first: ${rejected.first.pointer} ${rejected.first.detail}): the generator and the API disagree on the event schema; write the events with --out to inspect them`,
    );
  return { events: added };
}

function sendFailure(err: EventBatchError, base: string): CliError {
  switch (err.status) {
    case undefined:
      return new CliError(
        `cannot reach the API at ${base} (${networkFailure(err.cause)}): start it with "npm start", or pass --url with the address it listens on`,
      );
    case 401:
      return new CliError(
        `the API at ${base} refused the key (401): pass --key with a key made by "npm run keys -- create"`,
      );
    case 403:
      return new CliError(
        'the key may not send events (403): use a key with the events:write scope (npm run keys -- create --role DEVELOPER)',
      );
    case 404:
      return new CliError(
        `POST /v1/events is not found at ${base} (404): check --url points at a service that takes events, or write them to a file with --out`,
      );
    default:
      return new CliError(`${err.message}: check the API's log`);
  }
}
