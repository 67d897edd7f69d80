import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../domain/events.js';
import { MAX_REQUEST_IDS } from '../../domain/request-ids.js';
import { MAX_BATCH_ASSETS, currentJob, jobsForEvents } from '../../queue/jobs.js';
import { BatchCorpus } from '../../services/batch-corpus.js';

let nextId = 1;
const ingested = (tenantId: string, assetId: string, version = 1): OutboxEvent => ({
  id: nextId++,
  tenantId,
  type: 'asset.ingested',
  aggregateId: assetId,
  payload: { assetId, version },
});
const enriched = (tenantId: string, assetId: string, version = 2): OutboxEvent => ({
  id: nextId++,
  tenantId,
  type: 'asset.enriched',
  aggregateId: assetId,
  payload: { assetId, version },
});

describe('jobsForEvents', () => {
  it("continues the first event's trace and links the other traces a batch gathers", () => {
    const tp = (n: number) => ({ traceparent: `00-${String(n).padStart(32, '0')}-${'1'.repeat(16)}-01` });
    const traced = (event: OutboxEvent, n: number): OutboxEvent => ({ ...event, trace: tp(n) });
    const [enrich, project] = jobsForEvents([
      traced(ingested('t1', 'a1'), 1),
      traced(ingested('t1', 'a2'), 1),
      traced(ingested('t1', 'a3'), 2),
      ingested('t1', 'a4'),
      traced(enriched('t1', 'a0'), 3),
    ]);
    expect(enrich!.trace).toEqual(tp(1));
    expect(enrich!.links).toEqual([tp(2)]);
    expect(project!.trace).toEqual(tp(3));
    expect(project!.links).toBeUndefined();
    // Written with tracing off: the job carries nothing.
    expect(jobsForEvents([ingested('t1', 'a5')])[0]).not.toHaveProperty('trace');
  });

  it("carries the request ids of a batch's events, each once and at most MAX_REQUEST_IDS", () => {
    const from = (event: OutboxEvent, ...requestIds: string[]): OutboxEvent => ({ ...event, requestIds });
    const [one] = jobsForEvents([from(ingested('t1', 'a1'), 'r1'), from(ingested('t1', 'a2'), 'r1')]);
    expect(one!.requestIds).toEqual(['r1']);
    const many = Array.from({ length: MAX_REQUEST_IDS + 5 }, (_, i) =>
      from(ingested('t1', `m${i}`), `req-${i}`),
    );
    const [batch] = jobsForEvents([...many, from(ingested('t1', 'late'), 'req-0')]);
    expect(batch!.requestIds).toEqual(Array.from({ length: MAX_REQUEST_IDS }, (_, i) => `req-${i}`));
    // A delivery's event names the request that caused it; work no request caused carries none.
    const delivery: OutboxEvent = {
      id: nextId++,
      tenantId: 't1',
      type: 'webhook.delivery-requested',
      aggregateId: 'd1',
      payload: { deliveryId: 'd1', run: 0 },
      requestIds: ['r2'],
    };
    expect(jobsForEvents([delivery])[0]!.requestIds).toEqual(['r2']);
    expect(jobsForEvents([ingested('t1', 'a9')])[0]).not.toHaveProperty('requestIds');
  });

  it('makes one enrichment and one projection job per tenant of the events claimed together', () => {
    const events = [
      ingested('t1', 'a1'),
      ingested('t1', 'a2'),
      ingested('t2', 'b1'),
      enriched('t1', 'a0'),
      ingested('t1', 'a3'),
    ];
    const jobs = jobsForEvents(events);
    expect(jobs.map((j) => [j.name, j.payload])).toEqual([
      [
        'enrich-assets',
        {
          tenantId: 't1',
          assets: ['a1', 'a2', 'a3'].map((assetId) => ({ assetId, version: 1 })),
        },
      ],
      ['enrich-assets', { tenantId: 't2', assets: [{ assetId: 'b1', version: 1 }] }],
      ['project-assets', { tenantId: 't1', assets: [{ assetId: 'a0', version: 2 }] }],
    ]);
    // One asset keeps the per-asset id; the same events relayed again make the same ids.
    expect(jobs[1]!.jobId).toBe('enrich.t2.b1.v1');
    expect(
      jobsForEvents([...events].reverse())
        .map((j) => j.jobId)
        .sort(),
    ).toEqual(jobs.map((j) => j.jobId).sort());
  });

  it('names different work differently, and bounds a job to MAX_BATCH_ASSETS assets', () => {
    const a = jobsForEvents([ingested('t', 'x'), ingested('t', 'y')]);
    const b = jobsForEvents([ingested('t', 'x'), ingested('t', 'y', 2)]);
    expect(a[0]!.jobId).not.toBe(b[0]!.jobId);

    const many = Array.from({ length: MAX_BATCH_ASSETS + 1 }, (_, i) => ingested('t', `m${i}`));
    expect(jobsForEvents(many).map((j) => (j.payload as { assets: unknown[] }).assets.length)).toEqual([
      MAX_BATCH_ASSETS,
      1,
    ]);
  });

  it('folds the same asset twice into one entry at its latest version', () => {
    const [job] = jobsForEvents([
      ingested('t', 'x', 1),
      {
        id: nextId++,
        tenantId: 't',
        type: 'asset.enrichment-requested',
        aggregateId: 'x',
        payload: { assetId: 'x', version: 3, nonce: 'edit-1' },
      },
    ]);
    expect(job!.payload).toEqual({ tenantId: 't', assets: [{ assetId: 'x', version: 3 }] });
  });
});

describe('BatchCorpus', () => {
  it('scores each asset as if the batch had been enriched one asset after another', () => {
    const corpus = new BatchCorpus({
      previous: new Map([['old', ['jazz', 'piano']]]),
      documentCount: 10,
      df: new Map([
        ['jazz', 4],
        ['piano', 2],
      ]),
    });
    expect(corpus.statsFor('a', ['jazz', 'drums'])).toEqual({
      documentCount: 11,
      df: new Map([
        ['jazz', 5],
        ['drums', 1],
      ]),
    });
    corpus.add('a', ['jazz', 'drums']);
    // The next new asset counts the first one in; a re-enriched one does not count itself twice.
    expect(corpus.statsFor('b', ['drums'])).toEqual({ documentCount: 12, df: new Map([['drums', 2]]) });
    expect(corpus.statsFor('old', ['jazz', 'drums'])).toEqual({
      documentCount: 11,
      df: new Map([
        ['jazz', 5],
        ['drums', 2],
      ]),
    });
    corpus.add('old', ['drums']);
    expect(corpus.statsFor('c', ['jazz', 'piano'])).toEqual({
      documentCount: 12,
      df: new Map([
        ['jazz', 5],
        ['piano', 2],
      ]),
    });
  });
});

describe('currentJob', () => {
  it('runs a per-asset job of an older version as its one-asset batch, also once retried by this one', () => {
    const batch = { tenantId: 't', assets: [{ assetId: 'a', version: 2 }] };
    expect(currentJob('enrich-asset', { tenantId: 't', assetId: 'a', version: 2 })).toEqual({
      name: 'enrich-assets',
      data: batch,
    });
    expect(currentJob('project-asset', batch)).toEqual({ name: 'project-assets', data: batch });
    expect(currentJob('deliver-webhook', { x: 1 })).toEqual({ name: 'deliver-webhook', data: { x: 1 } });
  });
});
