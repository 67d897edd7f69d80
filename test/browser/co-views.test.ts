import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`test/browser skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}
const OUTPUT = new URL('../output/', import.meta.url);

const SEED = 'Glacier hydrology field notes';
const PARTNER = 'Volcanic soil chemistry';

/**
 * "Viewers also watched" on an asset's page at /ui: sessions posted as events, the co-view schedule
 * run, and the related list saying in words in how many sessions the two were watched together.
 */
describe.skipIf(!hasChromium)(
  'co-view reasons in the related list, in Chromium',
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    let base: string;
    let editor: { authorization: string };
    let ids: Record<'seed' | 'partner', string>;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      t = await createTestApp({
        env: { CO_VIEW_INTERVAL_MS: '0', MASK_KEY: 'a-test-masking-key-of-at-least-32-chars' },
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      editor = await t.keyFor('default', 'EDITOR');
      const player = await t.keyFor('default', 'DEVELOPER');
      ids = await ingestNamed(t, editor, {
        seed: anAssetInput({ title: SEED, tags: ['ice'] }),
        partner: anAssetInput({ title: PARTNER, tags: ['lava'] }),
      });
      // Five sessions play both.
      const start = Date.now() - 3_600_000;
      const events = Array.from({ length: 5 }, (_, s) =>
        [ids.seed, ids.partner].map((assetId, i) => ({
          id: randomUUID(),
          type: 'play',
          assetId,
          userId: `viewer-${s}`,
          sessionId: `viewer-${s}-visit`,
          occurredAt: new Date(start + (s * 10 + i) * 60_000).toISOString(),
          position: 0,
        })),
      ).flat();
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: player,
        payload: { events },
      });
      expect(res.statusCode, res.body).toBe(202);
      const deadline = Date.now() + 60_000;
      for (;;) {
        if ((await t.container.eventLog.lag()).entries === 0) {
          await t.container.coViewSchedule.runNow();
          const related = await t.app.inject({
            url: `/v1/assets/${ids.seed}/related?via=CO_VIEWED`,
            headers: editor,
          });
          if (related.json<{ items: unknown[] }>().items.length > 0) break;
        }
        if (Date.now() > deadline) throw new Error('the sessions did not reach related content');
        await sleep(200);
      }
      await mkdir(OUTPUT, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
      page = await (await browser.newContext()).newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await page.goto(`${base}/ui/#/assets/${ids.seed}`);
      await page.getByLabel('API key').fill(editor.authorization.replace(/^Bearer /, ''));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('says in how many sessions a related asset was watched with it, with what it added', async () => {
      const section = page.getByRole('region', { name: 'Related' });
      const reasons = section.getByRole('list', { name: `Why ${PARTNER} is related` });
      const coView = reasons.getByRole('listitem').filter({ hasText: 'Watched together in' });
      await coView.waitFor();
      expect(await coView.innerText()).toMatch(/^Watched together in 5 sessions \+\d+\.\d\d$/);
      await expect.poll(() => section.getByRole('link', { name: PARTNER }).count()).toBe(1);
      await page.screenshot({ path: fileURLToPath(new URL('co-views-related.png', OUTPUT)), fullPage: true });
      expect(pageErrors).toEqual([]);
    });
  },
  240_000,
);
