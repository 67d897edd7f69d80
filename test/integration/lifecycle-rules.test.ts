import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DAY_MS } from '../../domain/lifecycle-rules.js';
import { LifecycleRulesService } from '../../services/lifecycle-rules-service.js';
import { actionsRepository } from '../../store/actions-repository.js';
import { backgroundJobsRepository } from '../../store/background-jobs-repository.js';
import { lifecycleRulesRepository } from '../../store/lifecycle-rules-repository.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

/**
 * Lifecycle rules (docs/lifecycle.md#lifecycle-rules) on the embedded default and on the Postgres
 * server when there is one: the dry run and the run agree exactly at one clock; priority, filters,
 * legal hold, re-runs, a run resumed after a crash, tenants, and refused input.
 */
const backends = (['pglite', 'postgres'] as const).filter((b) => b === 'pglite' || inject('postgresUrl'));

type Key = { authorization: string };
interface PreviewItem {
  assetId: string;
  action: 'ARCHIVE' | 'DELETE';
  rule: { id: string; name: string };
  ageDays: number;
  thresholdDays: number;
  skipped: string | null;
}

/** The clock of the test: whole days before it make the assets' ages. */
const AT = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
const daysAgo = (n: number) => new Date(AT.getTime() - n * DAY_MS - 3_600_000).toISOString();
const asset = (type: string, sourceSystem: string, age: number) =>
  anAssetInput({
    type,
    sourceSystem,
    createdAt: daysAgo(age),
    title: `${type} from ${sourceSystem}, ${age} days`,
  });

describe.each(backends)('lifecycle rules on %s', (backend) => {
  let t: TestApp;
  let admin: Key;
  let other: Key;
  let ids: Record<string, string>;
  const rules: Record<string, string> = {};

  const api = async <T>(
    key: Key,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => {
    const res = await t.app.inject({ method, url, headers: key, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: (res.body ? res.json<T>() : undefined) as T };
  };
  const createRule = async (body: object) => {
    const res = await api<{ id: string }>(admin, 'POST', '/v1/lifecycle-rules', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  /** Every page of the dry run at the test's clock. */
  const preview = async (key = admin): Promise<PreviewItem[]> => {
    const items: PreviewItem[] = [];
    let url = `/v1/lifecycle-rules/preview?limit=2&at=${AT.toISOString()}`;
    for (;;) {
      const res = await api<{ items: PreviewItem[]; nextCursor: string | null }>(key, 'GET', url);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      items.push(...res.body.items);
      if (!res.body.nextCursor) return items;
      url = `/v1/lifecycle-rules/preview?limit=2&at=${AT.toISOString()}&cursor=${encodeURIComponent(res.body.nextCursor)}`;
    }
  };
  /** The service at the test's clock, on the app's database and asset lifecycle. */
  const sut = (pageSize?: number, lifecycle = t.container.lifecycle, intervalMs = 0) =>
    new LifecycleRulesService(
      {
        db: t.container.db,
        rules: lifecycleRulesRepository,
        actions: actionsRepository,
        backgroundJobs: backgroundJobsRepository,
        jobs: t.container.jobs,
        lifecycle,
        clock: () => AT,
      },
      { intervalMs, actionsPerSecond: 10_000, ...(pageSize ? { pageSize } : {}) },
    );
  const principal = (tenantId: string) => ({
    tenantId,
    keyId: randomUUID(),
    role: 'ADMIN' as const,
    permissions: new Set(['workflows:manage', 'assets:delete'] as const),
  });
  /** What lifecycle runs did in a tenant, from the audit trail: `<assetId> <ACTION>`, sorted. */
  const audited = async (tenantId = 'default') =>
    (
      await t.container.db.query<{ asset_id: string; action_type: string }>(
        `SELECT asset_id, action_type FROM action_records WHERE tenant_id = $1 AND actor LIKE 'lifecycle-rule:%'`,
        [tenantId],
      )
    )
      .map((r) => `${r.asset_id} ${r.action_type}`)
      .sort();
  const completed = async (tenantId: string, jobId: string) => {
    await expect
      .poll(async () => (await backgroundJobsRepository.get(t.container.db, tenantId, jobId))?.status, {
        timeout: 60_000,
      })
      .toBe('COMPLETED');
    return (await api<{ lifecycle: Record<string, number> }>(admin, 'GET', `/v1/jobs/${jobId}`)).body;
  };

  beforeAll(async () => {
    t = await createTestApp({ backend, env: { LIFECYCLE_INTERVAL_MS: '0' } });
    admin = await t.keyFor('default', 'ADMIN');
    other = await t.keyFor('tenant-other', 'ADMIN');
    ids = await ingestNamed(t, admin, {
      tedOld: asset('VIDEO', 'ted', 400),
      tedMid: asset('VIDEO', 'ted', 60),
      tedNew: asset('VIDEO', 'ted', 10),
      imageTed: asset('IMAGE', 'ted', 200),
      videoElsewhere: asset('VIDEO', 'vimeo', 400),
      brandOld: asset('VIDEO', 'brand', 400),
      audioRecent: asset('AUDIO', 'ted', 50),
      held: asset('VIDEO', 'ted', 500),
    });
    await ingestNamed(t, other, { theirs: asset('VIDEO', 'ted', 900) });
    const hold = await api(admin, 'PUT', `/v1/assets/${ids.held}/legal-hold`, {
      legalHold: true,
      reason: 'litigation',
    });
    expect(hold.status).toBe(200);
    rules.ted = await createRule({
      name: 'TED video',
      type: 'VIDEO',
      sourceSystem: 'ted',
      archiveAfterDays: 30,
      deleteAfterDays: 365,
      priority: 10,
    });
    rules.any = await createRule({ name: 'Anything', archiveAfterDays: 100 });
    rules.brand = await createRule({
      name: 'Brand keeps',
      sourceSystem: 'brand',
      archiveAfterDays: 36_500,
      priority: 20,
    });
    rules.off = await createRule({
      name: 'Inactive purge',
      deleteAfterDays: 1,
      priority: 100,
      active: false,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists rules by priority, then name', async () => {
    const res = await api<{ items: { name: string }[] }>(admin, 'GET', '/v1/lifecycle-rules');
    expect(res.body.items.map((r) => r.name)).toEqual([
      'Inactive purge',
      'Brand keeps',
      'TED video',
      'Anything',
    ]);
  });

  it('refuses bad input with 4xx and changes nothing', async () => {
    const before = await api(admin, 'GET', '/v1/lifecycle-rules');
    const auditBefore = await t.container.db.query(
      `SELECT count(*)::int AS n FROM action_records WHERE action_type LIKE 'LIFECYCLE_RULE_%'`,
    );
    const refused: [object, number][] = [
      [{ name: 'no thresholds' }, 400],
      [{ name: 'backwards', archiveAfterDays: 30, deleteAfterDays: 30 }, 400],
      [{ name: 'zero', archiveAfterDays: 0 }, 400],
      [{ name: 'movie', type: 'MOVIE', archiveAfterDays: 3 }, 400],
      [{ name: 'extra', archiveAfterDays: 3, when: 'now' }, 400],
      [{ name: 'TED video', archiveAfterDays: 3 }, 409],
    ];
    for (const [body, status] of refused) {
      expect((await api(admin, 'POST', '/v1/lifecycle-rules', body)).status, JSON.stringify(body)).toBe(
        status,
      );
    }
    const patch = await api(admin, 'PATCH', `/v1/lifecycle-rules/${rules.ted}`, { deleteAfterDays: 20 });
    expect(patch.status).toBe(400);
    const rename = await api(admin, 'PATCH', `/v1/lifecycle-rules/${rules.any}`, { name: 'TED video' });
    expect(rename.status).toBe(409);
    const viewer = await t.keyFor('default', 'VIEWER');
    expect(
      (await api(viewer, 'POST', '/v1/lifecycle-rules', { name: 'v', archiveAfterDays: 3 })).status,
    ).toBe(403);
    expect((await api(viewer, 'POST', '/v1/lifecycle-rules/run')).status).toBe(403);
    // workflows:manage without assets:delete: a rule that deletes, and a run, are refused.
    const { secret } = await t.container.apiKeys.create({
      tenantId: 'default',
      name: 'rules only',
      role: 'ADMIN',
      permissions: ['workflows:manage'],
    });
    const rulesOnly = { authorization: `Bearer ${secret}` };
    expect(
      (await api(rulesOnly, 'POST', '/v1/lifecycle-rules', { name: 'd', deleteAfterDays: 3 })).status,
    ).toBe(403);
    expect((await api(rulesOnly, 'POST', '/v1/lifecycle-rules/run')).status).toBe(403);
    // While "TED video" deletes, lowering or removing the rule that shields brand footage from it
    // would widen what it deletes: refused too.
    expect(
      (await api(rulesOnly, 'PATCH', `/v1/lifecycle-rules/${rules.brand}`, { priority: 0 })).status,
    ).toBe(403);
    expect((await api(rulesOnly, 'DELETE', `/v1/lifecycle-rules/${rules.brand}`)).status).toBe(403);
    expect((await api(admin, 'GET', '/v1/lifecycle-rules/preview?limit=1000')).status).toBe(400);
    expect((await api(admin, 'GET', '/v1/lifecycle-rules/preview?cursor=made-up')).status).toBe(400);
    expect(await api(admin, 'GET', '/v1/lifecycle-rules')).toEqual(before);
    expect(
      await t.container.db.query(
        `SELECT count(*)::int AS n FROM action_records WHERE action_type LIKE 'LIFECYCLE_RULE_%'`,
      ),
    ).toEqual(auditBefore);
  });

  it("keeps each tenant's rules and assets to itself", async () => {
    expect((await api(other, 'GET', `/v1/lifecycle-rules/${rules.ted}`)).status).toBe(404);
    expect((await api(other, 'PATCH', `/v1/lifecycle-rules/${rules.ted}`, { active: false })).status).toBe(
      404,
    );
    expect((await api(other, 'DELETE', `/v1/lifecycle-rules/${rules.ted}`)).status).toBe(404);
    expect((await api<{ items: unknown[] }>(other, 'GET', '/v1/lifecycle-rules')).body.items).toEqual([]);
    expect(await preview(other)).toEqual([]);
    // The default tenant's preview names none of the other tenant's assets.
    const mine = new Set(Object.values(ids));
    expect((await preview()).every((i) => mine.has(i.assetId))).toBe(true);
  });

  it('the dry run names what the highest matching rule decides, legal holds skipped', async () => {
    const byName = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
    const items = (await preview()).map((i) => ({ ...i, asset: byName[i.assetId] }));
    const summary = items.map(
      (i) => `${i.asset} ${i.action} ${i.rule.name} ${i.ageDays}/${i.thresholdDays} ${i.skipped}`,
    );
    expect(summary.sort()).toEqual(
      [
        'tedOld DELETE TED video 400/365 null',
        'tedMid ARCHIVE TED video 60/30 null',
        'imageTed ARCHIVE Anything 200/100 null',
        'videoElsewhere ARCHIVE Anything 400/100 null',
        'held DELETE TED video 500/365 legal-hold',
      ].sort(),
    );
    // In the order a run takes them: by asset id.
    expect(items.map((i) => i.assetId)).toEqual(items.map((i) => i.assetId).sort());
  });

  it('a run at the clock of the dry run does exactly what it listed; a second run does nothing new', async () => {
    const listed = await preview();
    const job = await sut().run(principal('default'));
    const done = await completed('default', job.id);
    const expected = listed.filter((i) => !i.skipped).map((i) => `${i.assetId} ${i.action}`);
    expect(await audited()).toEqual(expected.sort());
    expect(done.lifecycle).toMatchObject({ archived: 3, deleted: 1, skipped: 1 });
    expect((await api(admin, 'GET', `/v1/assets/${ids.tedOld}`)).status).toBe(404);
    expect((await api<{ status: string }>(admin, 'GET', `/v1/assets/${ids.tedMid}`)).body.status).toBe(
      'ARCHIVED',
    );
    expect((await api<{ status: string }>(admin, 'GET', `/v1/assets/${ids.held}`)).body.status).not.toBe(
      'ARCHIVED',
    );
    // The other tenant's asset, older than any threshold, is untouched.
    expect(await audited('tenant-other')).toEqual([]);

    const again = await completed('default', (await sut().run(principal('default'))).id);
    expect(again.lifecycle).toMatchObject({ archived: 0, deleted: 0, skipped: 1 });
    expect(await audited()).toEqual(expected.sort());
    expect((await preview()).map((i) => i.skipped)).toEqual(['legal-hold']);
  });

  it('a run that stopped mid-way resumes from its cursor and does nothing twice', async () => {
    const fresh = await ingestNamed(t, other, {
      a: asset('AUDIO', 'ted', 300),
      b: asset('AUDIO', 'ted', 300),
      c: asset('AUDIO', 'ted', 300),
      d: asset('AUDIO', 'ted', 300),
      e: asset('AUDIO', 'ted', 300),
    });
    const created = await api<{ id: string }>(other, 'POST', '/v1/lifecycle-rules', {
      name: 'Old audio',
      type: 'AUDIO',
      deleteAfterDays: 200,
      active: false,
    });
    // The job is made without its outbox event, so that only this test runs it.
    const job = await backgroundJobsRepository.insert(t.container.db, 'tenant-other', {
      id: randomUUID(),
      kind: 'lifecycle-rules',
      params: { at: AT.toISOString(), trigger: 'manual', actor: 'test', actionsPerSecond: 10_000 },
      createdBy: 'test',
    });
    await api(other, 'PATCH', `/v1/lifecycle-rules/${created.body.id}`, { active: true });
    let deletes = 0;
    const crashing = {
      archive: t.container.lifecycle.archive.bind(t.container.lifecycle),
      delete: async (...args: Parameters<typeof t.container.lifecycle.delete>) => {
        // The process dies during the second page, after its first delete.
        if (++deletes === 4) throw new Error('worker crashed');
        return t.container.lifecycle.delete(...args);
      },
    };
    await expect(
      sut(2, crashing as typeof t.container.lifecycle).runJob('tenant-other', job),
    ).rejects.toThrow('worker crashed');
    const stopped = (await backgroundJobsRepository.get(t.container.db, 'tenant-other', job.id))!;
    expect(stopped.status).toBe('RUNNING');
    expect(stopped.processed).toBeGreaterThanOrEqual(2);
    expect(stopped.cursor).toMatchObject({ deleted: expect.any(Number) as number });
    expect((await audited('tenant-other')).length).toBe(3);
    await sut(2).runJob('tenant-other', stopped);
    const done = (await backgroundJobsRepository.get(t.container.db, 'tenant-other', job.id))!;
    expect(done.status).toBe('COMPLETED');
    const deleted = (await audited('tenant-other')).filter((r) => r.endsWith(' DELETE'));
    // Each old audio deleted exactly once; the video, which no rule matches, left alone.
    expect(deleted.map((r) => r.split(' ')[0])).toEqual(Object.values(fresh).sort());
  });

  it('the schedule starts a run per tenant with an active rule once its last run is older than the interval', async () => {
    // Every tenant ran a moment ago: within an hour's interval nothing starts.
    expect(await sut(undefined, undefined, 3_600_000).runDue()).toEqual({ started: 0, failed: [] });
    const idle = await t.keyFor('tenant-idle', 'ADMIN');
    await api(idle, 'POST', '/v1/lifecycle-rules', { name: 'off', archiveAfterDays: 1, active: false });
    const due = await sut().runDue();
    expect(due).toEqual({ started: 2, failed: [] });
    for (const tenantId of ['default', 'tenant-other']) {
      const [job] = await backgroundJobsRepository.list(t.container.db, tenantId, {
        kind: 'lifecycle-rules',
        limit: 1,
      });
      expect(job?.params).toMatchObject({ trigger: 'schedule', at: AT.toISOString() });
      await completed(tenantId, job!.id);
    }
    const idleJobs = await backgroundJobsRepository.list(t.container.db, 'tenant-idle', { limit: 5 });
    expect(idleJobs).toEqual([]);
  });
});
