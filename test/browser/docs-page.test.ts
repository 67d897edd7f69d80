import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const OUTPUT = new URL('../output/', import.meta.url);
const shot = (p: Page, name: string) =>
  p.screenshot({ path: fileURLToPath(new URL(`${name}.png`, OUTPUT)), fullPage: true });

/**
 * The Swagger UI page at /docs rendered in Chromium under its strict CSP: one tag's operations at a
 * time, an operation opens, the menu switches tags, and the page raises no error (a refused inline
 * style or script is logged as a console error). How fast: docs/api-docs-page.md.
 */
describe.skipIf(!hasChromium)('the API docs page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    await mkdir(OUTPUT, { recursive: true });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    const { port } = t.app.server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/docs/`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("lists the first tag's operations, and one opens", async () => {
    const ingest = page.locator('.opblock-summary', { hasText: '/v1/assets/batch' }).first();
    await ingest.waitFor();
    // Only the assets tag's operations: search belongs to discovery.
    await expect
      .poll(() => page.locator('.opblock-summary-path', { hasText: /^\/v1\/search$/ }).count())
      .toBe(0);
    await ingest.click();
    await page.locator('.opblock-body').first().waitFor();
    expect(await page.locator('.opblock-body').first().innerText()).toContain('Responses');
    await shot(page, 'docs-operation-open');
  });

  it('switches to another tag from the menu', async () => {
    await page.locator('.topbar select').selectOption({ label: 'system' });
    await page.locator('.opblock-summary-path', { hasText: /^\/health$/ }).waitFor();
    await expect
      .poll(() => page.locator('.opblock-summary-path', { hasText: /^\/v1\/assets/ }).count())
      .toBe(0);
  });

  it('raises no error, and the policy refuses nothing', () => {
    expect(errors).toEqual([]);
  });
});
