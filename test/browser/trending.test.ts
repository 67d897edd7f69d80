import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

const FAMOUS = 'Famous at the source';
const RISING = 'Rising in this library';
const QUIET = 'Quiet everywhere';

/**
 * The search page's trending list and its orders, in Chromium: plays posted as events, the
 * popularity run, then what the empty search page lists and what "Sort by" does.
 */
describe.skipIf(!hasChromium)(
  'trending on the search page in Chromium',
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    let base: string;
    let editor: { authorization: string };
    const errors: string[] = [];

    beforeAll(async () => {
      t = await createTestApp({
        env: { POPULARITY_INTERVAL_MS: '0', MASK_KEY: 'a-test-masking-key-of-at-least-32-chars' },
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      editor = await t.keyFor('default', 'EDITOR');
      const player = await t.keyFor('default', 'DEVELOPER');
      const ids = await ingestNamed(t, editor, {
        famous: anAssetInput({ title: FAMOUS, technicalMetadata: { viewCount: 5_000_000 } }),
        rising: anAssetInput({ title: RISING, technicalMetadata: { viewCount: 10 } }),
        quiet: anAssetInput({ title: QUIET, technicalMetadata: { viewCount: 100 } }),
      });
      const now = Date.now();
      const events = Array.from({ length: 5 }, (_, i) => ({
        id: randomUUID(),
        type: 'play',
        assetId: ids.rising,
        userId: `viewer-${i}`,
        occurredAt: new Date(now - (i + 1) * 60_000).toISOString(),
        position: 0,
      }));
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: player,
        payload: { events },
      });
      if (res.statusCode !== 202) throw new Error(`events answered ${res.statusCode}: ${res.body}`);
      const deadline = Date.now() + 60_000;
      while ((await t.container.eventLog.lag()).entries > 0) {
        if (Date.now() > deadline) throw new Error('the events did not reach the analytics store');
        await sleep(100);
      }
      await t.container.popularity.recomputeAll();
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
      page = await (await browser.newContext()).newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => errors.push(err.message));
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('lists what is trending while the box is empty, and orders results by popularity or trend', async () => {
      await page.goto(`${base}/ui`);
      await page.getByLabel('API key').fill(editor.authorization.replace(/^Bearer /, ''));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();

      const trending = page.getByRole('region', { name: 'Trending' });
      await trending.getByRole('link').first().waitFor();
      // Rising has the only plays; the others follow by the source's view count.
      await expect.poll(() => trending.getByRole('link').allInnerTexts()).toEqual([RISING, FAMOUS, QUIET]);
      await trending.getByRole('link', { name: RISING }).click();
      await page.getByRole('heading', { name: RISING, level: 1 }).waitFor();
      await page.goBack();
      await trending.waitFor();

      const results = page.getByRole('region', { name: 'All assets' });
      const titles = () => results.getByRole('heading', { level: 3 }).allInnerTexts();
      await page.getByLabel('Sort by').selectOption({ label: 'Most popular' });
      await expect.poll(() => page.url()).toContain('sort=popularity');
      await expect.poll(titles).toEqual([RISING, FAMOUS, QUIET]);
      // A sort chosen: the list of trending assets gives way to the ordered results.
      await expect.poll(() => trending.count()).toBe(0);

      await page.getByLabel('Sort by').selectOption({ label: 'Newest' });
      await expect.poll(() => page.url()).toContain('sort=createdAt');
      await page.getByLabel('Sort by').selectOption({ label: 'Best match' });
      await expect.poll(() => page.url()).not.toContain('sort=');
      await trending.waitFor();
      expect(errors).toEqual([]);
    });
  },
  180_000,
);
