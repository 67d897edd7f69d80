import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, type ProblemTypeSlug } from '../../api/problem-types.js';
import { domainProblemKind } from '../../api/plugins/errors.js';
import {
  ConflictError,
  LegalHoldError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  QueryLimitError,
  QueryTimeoutError,
  ResyncRequiredError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../../domain/errors.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

/** Each problem names its kind in `type` (RFC 9457), and that URI resolves to its documentation. */
describe('problem types', () => {
  let t: TestApp;
  let editor: { authorization: string };
  let reader: { authorization: string };
  let assetId: string;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    editor = await t.keyFor('default', 'EDITOR');
    reader = await t.keyFor('default', 'VIEWER');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets',
      headers: editor,
      payload: anAssetInput(),
    });
    assetId = res.json<{ asset: { id: string } }>().asset.id;
  });
  afterAll(() => t.close());

  const typeOf = async (request: InjectOptions, status: number) => {
    const res = await t.app.inject(request);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    return res.json<{ type: string }>().type;
  };

  it('answers each kind of failure with its own type', async () => {
    expect(
      await typeOf({ method: 'POST', url: '/v1/assets', headers: editor, payload: { type: 'NOPE' } }, 400),
    ).toBe('/problems/invalid-request');
    expect(
      await typeOf(
        {
          method: 'POST',
          url: '/v1/assets',
          headers: { ...editor, 'content-type': 'application/json' },
          payload: '{',
        },
        400,
      ),
    ).toBe('/problems/invalid-request');
    expect(await typeOf({ url: '/v1/search?q=x' }, 401)).toBe('/problems/unauthorized');
    expect(
      await typeOf({ method: 'POST', url: '/v1/assets', headers: reader, payload: anAssetInput() }, 403),
    ).toBe('/problems/forbidden');
    expect(await typeOf({ url: `/v1/assets/${randomUUID()}`, headers: reader }, 404)).toBe(
      '/problems/not-found',
    );
    expect(await typeOf({ url: '/no/such/route' }, 404)).toBe('/problems/not-found');
    const rollback = (headers: Record<string, string>) => ({
      method: 'POST' as const,
      url: `/v1/assets/${assetId}/rollback`,
      headers: { ...editor, ...headers },
      payload: { version: 1 },
    });
    expect(await typeOf(rollback({ 'if-match': '"7"' }), 412)).toBe('/problems/stale-version');
    expect(await typeOf(rollback({}), 428)).toBe('/problems/version-required');
  });

  it('maps every domain error to a documented type', () => {
    const kinds: [Error, ProblemTypeSlug][] = [
      [new ValidationError('x'), 'invalid-request'],
      [new QueryLimitError('x', 'maxClauses'), 'query-limit'],
      [new UnauthorizedError('x'), 'unauthorized'],
      [new ForbiddenError('x'), 'forbidden'],
      [new NotFoundError('x'), 'not-found'],
      [new ConflictError('x'), 'conflict'],
      [new LegalHoldError('x'), 'legal-hold'],
      [new PreconditionFailedError('x'), 'stale-version'],
      [new PreconditionRequiredError('x'), 'version-required'],
      [new QueryTimeoutError(), 'query-timeout'],
      [new ResyncRequiredError('x', { resumeCursor: null, retentionDays: 30 }), 'resync-required'],
      [new UnavailableError('x'), 'unavailable'],
    ];
    for (const [err, kind] of kinds) {
      expect(domainProblemKind(err as never)).toBe(kind);
      expect(PROBLEM_TYPES[kind].status).toBe((err as unknown as { status: number }).status);
    }
  });

  it('documents every type where its URI points, and in docs/problems.md', async () => {
    const docs = readFileSync(new URL('../../docs/problems.md', import.meta.url), 'utf8');
    const index = await t.app.inject({ url: '/problems' });
    expect(index.statusCode).toBe(200);
    for (const slug of Object.keys(PROBLEM_TYPES)) {
      const res = await t.app.inject({ url: `/problems/${slug}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain(`/problems/${slug}`);
      expect(index.body).toContain(`id="${slug}"`);
      expect(docs).toContain(`\`/problems/${slug}\``);
    }
    expect(await typeOf({ url: '/problems/nope' }, 404)).toBe('/problems/not-found');
  });
});
