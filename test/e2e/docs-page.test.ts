import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/** The Swagger UI page at /docs, as the API serves it (its rendering: test/browser). */
describe('the API docs at /docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
  });
  afterAll(() => t.close());

  it("allows exactly the inline styles Swagger UI's scripts create, and no other", async () => {
    const page = await t.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    const policy = page.headers['content-security-policy'] as string;
    const styleSrc = policy.split(';').find((d) => d.trim().startsWith('style-src '))!;
    expect(styleSrc).not.toContain('unsafe-inline');
    expect(policy).toContain("script-src 'self'");

    // The <style> elements the served scripts create: each one's hash must be in the policy.
    const preset = (await t.app.inject({ url: '/docs/static/swagger-ui-standalone-preset.js' })).body;
    const styles = [...preset.matchAll(/createElement\("style",null,("(?:[^"\\]|\\.)*")\)/g)].map(
      (m) => JSON.parse(m[1]!) as string,
    );
    expect(styles.length).toBeGreaterThan(0);
    for (const css of styles) {
      expect(styleSrc).toContain(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    }
  });

  it('serves the document one tag at a time, together the whole of it', async () => {
    const whole = (await t.app.inject({ url: '/openapi.json' })).json<OpenApi>();
    const ops = (doc: OpenApi) =>
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`));
    const seen: string[] = [];
    for (const { name } of whole.tags) {
      const res = await t.app.inject({ url: `/docs/tags/${name}.json` });
      expect(res.statusCode).toBe(200);
      const doc = res.json<OpenApi>();
      expect(doc.tags.map((tag) => tag.name)).toEqual([name]);
      expect(ops(doc).length).toBeGreaterThan(0);
      for (const item of Object.values(doc.paths))
        for (const op of Object.values(item)) expect(op.tags).toContain(name);
      // Every schema it refers to is in it.
      const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
      for (const ref of refs) expect(doc.components.schemas).toHaveProperty(ref);
      seen.push(...ops(doc));
    }
    expect(new Set(seen)).toEqual(new Set(ops(whole)));
    expect((await t.app.inject({ url: '/docs/tags/nope.json' })).statusCode).toBe(404);
  });
});

interface OpenApi {
  tags: { name: string }[];
  paths: Record<string, Record<string, { tags?: string[] }>>;
  components: { schemas: Record<string, unknown> };
}
