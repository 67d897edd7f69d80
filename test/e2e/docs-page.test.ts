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
});
