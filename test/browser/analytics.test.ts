import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { aMonthOfEvents, anAssetInput } from '../support/factories.js';
import { FeedServer } from '../support/feed-server.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const OUTPUT = new URL('../output/', import.meta.url);
const PHONE = { width: 375, height: 812 };

type Key = { authorization: string };

const LIBRARY = {
  kelp: anAssetInput({ title: 'Kelp forests at night', tags: ['ocean', 'night'], sourceSystem: 'archive' }),
  reef: anAssetInput({ title: 'Coral reef recovery', tags: ['ocean', 'science'], sourceSystem: 'archive' }),
  dune: anAssetInput({ title: 'Dune field at noon', tags: ['desert'], sourceSystem: 'cms' }),
  storm: anAssetInput({ title: 'Storm over the plains', tags: ['weather'], sourceSystem: 'cms' }),
  glacier: anAssetInput({ title: 'Glacier calving', tags: ['ice', 'science'], sourceSystem: 'archive' }),
  city: anAssetInput({ title: 'City lights timelapse', tags: ['night', 'urban'], sourceSystem: 'cms' }),
};

/**
 * The analytics pages in Chromium: a tenant with nothing to show, and one with a month of events made
 * by the gen:events generator (through its factory), the view kept in the URL, the downloads, the
 * per-asset tab, at phone width and with the keyboard. Screenshots in test/output/.
 */
describe.skipIf(!hasChromium)(
  'the analytics pages in Chromium',
  () => {
    let t: TestApp;
    let browser: Browser;
    let base: string;
    let busy: Key;
    let quiet: Key;
    let ids: Record<keyof typeof LIBRARY, string>;
    let brokenFeed: string;
    const feed = new FeedServer();
    const pageErrors: string[] = [];

    beforeAll(async () => {
      await feed.start();
      t = await createTestApp({
        env: {
          MASK_KEY: 'a-test-masking-key-of-at-least-32-chars',
          // The connectors read a feed server on loopback, and run only when asked to.
          WEBHOOK_ALLOW_PRIVATE: 'true',
          CONTROLLER_TICK_MS: '0',
        },
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      busy = await t.keyFor('default', 'ADMIN');
      quiet = await t.keyFor('quiet', 'ADMIN');
      ids = await ingestNamed(t, busy, LIBRARY);
      const assets = Object.entries(ids).map(([name, id]) => ({
        id,
        title: LIBRARY[name as keyof typeof LIBRARY].title,
        tags: LIBRARY[name as keyof typeof LIBRARY].tags,
        type: 'VIDEO',
        durationSeconds: 600,
      }));
      for (const events of aMonthOfEvents(assets)) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: busy,
          payload: { events },
        });
        if (res.statusCode !== 202) throw new Error(`events answered ${res.statusCode}: ${res.body}`);
      }
      const deadline = Date.now() + 120_000;
      while ((await t.container.eventLog.lag()).entries > 0) {
        if (Date.now() > deadline) throw new Error('the events did not reach the analytics store');
        await sleep(100);
      }
      await t.container.clickLearning.recomputeAll();
      // Connector health: a feed that serves a malformed document makes its connector unhealthy;
      // a disabled one counts apart. The quiet tenant has none.
      feed.malformed = true;
      const connector = async (body: object) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/controllers',
          headers: busy,
          payload: body,
        });
        if (res.statusCode !== 201) throw new Error(`controllers answered ${res.statusCode}: ${res.body}`);
        return res.json<{ id: string }>().id;
      };
      brokenFeed = await connector({
        name: 'Broken partner feed',
        kind: 'mrss',
        configuration: { url: `${feed.url}/feed.rss` },
      });
      await connector({
        name: 'Paused feed',
        kind: 'mrss',
        enabled: false,
        configuration: { url: `${feed.url}/paused.rss`, sourceSystem: 'paused' },
      });
      const run = await t.app.inject({
        method: 'POST',
        url: `/v1/controllers/${brokenFeed}/sync`,
        headers: busy,
      });
      if (run.json<{ status: string }>().status !== 'FAILED')
        throw new Error(`the sync answered ${run.body}`);
      // Drift: one asset gone from search behind the pipeline's back, found by a drift check of every tenant.
      await t.container.search.remove('default', ids.storm);
      await t.container.drift.check({ graceMs: 0 });
      await mkdir(OUTPUT, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
      await feed.stop();
    });

    async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
      const context = await browser.newContext({ viewport, acceptDownloads: true, timezoneId: 'UTC' });
      const p = await context.newPage();
      p.setDefaultTimeout(20_000);
      p.on('pageerror', (err) => pageErrors.push(err.message));
      p.on('console', (msg) => {
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
          pageErrors.push(msg.text());
      });
      return p;
    }
    const shot = (p: Page, name: string) =>
      p.screenshot({ path: fileURLToPath(new URL(`${name}.png`, OUTPUT)), fullPage: true });
    async function signIn(p: Page, key: Key, hash: string) {
      await p.goto(`${base}/ui`);
      await p.getByLabel('API key').fill(key.authorization.replace(/^Bearer /, ''));
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('button', { name: 'Sign out' }).waitFor();
      await p.goto(`${base}/ui${hash}`);
    }
    const card = (p: Page, name: string) => p.getByRole('region', { name, exact: true });
    /** Every chart and ranking has settled: none is loading. */
    const settled = (p: Page) =>
      expect
        .poll(() => p.locator('.chart-card[aria-busy="true"], .chart-placeholder').count(), {
          timeout: 60_000,
        })
        .toBe(0);

    it('says there is nothing yet for a tenant with no events, chart by chart', async () => {
      const p = await newPage();
      await signIn(p, quiet, '#/analytics');
      await p.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
      await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).waitFor();
      await settled(p);
      await expect.poll(() => card(p, 'Views').innerText()).toContain('Nothing in this range.');
      await expect.poll(() => card(p, 'Playback errors').innerText()).toContain('No playback errors');
      await expect.poll(() => card(p, 'Top assets').innerText()).toContain('No views in this range.');
      await expect.poll(() => card(p, 'Top queries').innerText()).toContain('No searches in this range.');
      await expect.poll(() => card(p, 'Queries with few clicks').innerText()).toContain('Not computed yet');
      await expect
        .poll(() => card(p, 'Enrichment runs by status').innerText())
        .toContain('No enrichment runs');
      // Connectors and drift are the tenant's own: none of the busy tenant's shows here.
      await expect
        .poll(() => card(p, 'Connector health').innerText())
        .toContain('No connectors: this tenant has no feeds');
      await expect.poll(() => card(p, 'Unhealthy connectors').innerText()).toContain('No connectors.');
      await expect
        .poll(() => card(p, 'Projection drift').innerText())
        .toContain('No drift: search and graph hold every asset');
      expect(await p.getByText('Broken partner feed').count()).toBe(0);
      expect(await p.locator('.chart-plot canvas').count()).toBe(0);
      expect(await p.getByRole('alert').count()).toBe(0);
      await shot(p, 'analytics-empty');
      expect(pageErrors).toEqual([]);
      await p.context().close();
    });

    it('draws a month of events: audience, search and operations, with rankings that link on', async () => {
      const p = await newPage();
      await signIn(p, busy, '');
      // The address dashboards are known by leads to the page.
      await p.goto(`${base}/ui/analytics`);
      await p.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
      await settled(p);
      for (const name of ['Views', 'Watch time', 'Completion rate', 'Searches', 'Enrichment runs by status'])
        await card(p, name).locator('.chart-plot canvas').first().waitFor();
      await card(p, 'Click-through rate by rank').locator('canvas').first().waitFor();
      // Every run of the import ended within its day: none was open at a day's close.
      await expect
        .poll(() => card(p, 'Enrichment in progress').innerText())
        .toContain('No enrichment ran in this range.');
      // The most viewed asset is one of the library, by title, linking to its analytics tab.
      const topLink = card(p, 'Top assets').getByRole('link').first();
      await expect.poll(() => topLink.innerText()).toMatch(/Kelp|Coral|Dune|Storm|Glacier|City/);
      expect(await topLink.getAttribute('href')).toMatch(/^#\/assets\/[0-9a-f-]{36}\/analytics$/);
      const query = card(p, 'Top queries').getByRole('link').first();
      await query.waitFor();
      expect(await query.getAttribute('href')).toMatch(/^#\/search\?q=/);
      // The numbers behind a chart, for anyone who does not read the drawing.
      await card(p, 'Views').getByRole('button', { name: 'Show table of Views' }).click();
      const rows = card(p, 'Views').locator('.chart-table tbody tr');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(29);
      expect(await p.getByRole('alert').count()).toBe(0);
      await card(p, 'Views').getByRole('button', { name: 'Hide table of Views' }).click();
      // Connector health: one unhealthy (its error in the feed's words), one disabled.
      const health = card(p, 'Connector health');
      await expect.poll(() => health.locator('dd').allInnerTexts()).toEqual(['0', '1', '0', '1']);
      const failing = card(p, 'Unhealthy connectors');
      const link = failing.getByRole('link', { name: 'Broken partner feed' });
      expect(await link.getAttribute('href')).toBe(`#/controllers/${brokenFeed}`);
      await expect
        .poll(() => failing.locator('tbody tr').innerText())
        .toMatch(/Broken partner feed\s+\S.*\s+never/);
      // Drift: the asset removed from search is missing there, nothing else.
      const drift = card(p, 'Projection drift');
      await expect
        .poll(() => drift.getByRole('row', { name: /^Search/ }).innerText())
        .toMatch(/^Search\s+1\s+0\s+0$/);
      await expect
        .poll(() =>
          drift
            .getByRole('row', { name: /^Graph\b/ })
            .first()
            .innerText(),
        )
        .toMatch(/\s0\s+0\s+0$/);
      const [driftCsv] = await Promise.all([
        p.waitForEvent('download'),
        drift.getByRole('button', { name: 'Download CSV of Projection drift' }).click(),
      ]);
      expect(driftCsv.suggestedFilename()).toBe('projection-drift.csv');
      const driftLines = (await readFile(await driftCsv.path(), 'utf8')).trim().split('\r\n');
      expect(driftLines[0]).toBe('projection,missing,stale,orphaned');
      expect(driftLines).toContain('search,1,0,0');
      const [connectorsCsv] = await Promise.all([
        p.waitForEvent('download'),
        failing.getByRole('button', { name: 'Download CSV of Unhealthy connectors' }).click(),
      ]);
      const connectorLines = (await readFile(await connectorsCsv.path(), 'utf8')).trim().split('\r\n');
      expect(connectorLines[0]).toBe('id,name,kind,last_error,last_run_at,last_sync_at');
      expect(connectorLines[1]).toMatch(new RegExp(`^${brokenFeed},Broken partner feed,mrss,`));
      await shot(p, 'analytics-month');
      // The top of it, as docs/img/analytics-dashboard.png shows it in the README (no focus ring).
      await p.evaluate('document.activeElement?.blur()');
      await p.screenshot({
        path: fileURLToPath(new URL('analytics-dashboard.png', OUTPUT)),
        fullPage: true,
        clip: { x: 0, y: 0, width: 1280, height: 1500 },
      });
      expect(pageErrors).toEqual([]);
      await p.context().close();
    });

    it('downloads a chart as CSV and as PNG', async () => {
      const p = await newPage();
      await signIn(p, busy, '#/analytics?interval=day');
      const views = card(p, 'Views');
      await views.locator('.chart-plot canvas').first().waitFor();
      const [csv] = await Promise.all([
        p.waitForEvent('download'),
        views.getByRole('button', { name: 'Download CSV of Views' }).click(),
      ]);
      expect(csv.suggestedFilename()).toBe('views.csv');
      const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\r\n');
      expect(lines[0]).toBe('time,Views');
      expect(lines.length).toBeGreaterThanOrEqual(30);
      const total = lines.slice(1).reduce((n, l) => n + Number(l.split(',')[1]), 0);
      const api = await t.app.inject({
        url: `/v1/metrics?metric=views&interval=day&from=${encodeURIComponent(lines[1]!.split(',')[0]!)}`,
        headers: busy,
      });
      expect(total).toBeGreaterThan(0);
      expect(total).toBe(api.json<{ series: { total: number }[] }>().series[0]!.total);
      const [png] = await Promise.all([
        p.waitForEvent('download'),
        views.getByRole('button', { name: 'Download PNG of Views' }).click(),
      ]);
      expect(png.suggestedFilename()).toBe('views.png');
      const bytes = await readFile(await png.path());
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(bytes.length).toBeGreaterThan(2_000);
      await p.context().close();
    });

    it('keeps the range, interval and filters in the URL, so a view can be shared', async () => {
      const p = await newPage();
      await signIn(p, busy, '#/analytics');
      await p.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
      await p.getByLabel('Range', { exact: true }).selectOption('7d');
      await p.getByLabel('Interval', { exact: true }).selectOption('day');
      await p.getByLabel('Tag', { exact: true }).fill('ocean');
      await p.getByLabel('Type', { exact: true }).selectOption('VIDEO');
      await p.getByRole('button', { name: 'Apply' }).click();
      await expect
        .poll(() => p.evaluate<string>('location.hash'))
        .toBe('#/analytics?range=7d&interval=day&tag=ocean&type=VIDEO');
      await settled(p);
      await expect.poll(() => p.locator('.chart-note').first().innerText()).toContain('tag: ocean');
      // Only the ocean assets rank: the filter reached the API.
      const top = card(p, 'Top assets').getByRole('link');
      await top.first().waitFor();
      await expect
        .poll(async () => (await top.allInnerTexts()).every((title) => /Kelp|Coral/.test(title)))
        .toBe(true);
      // The same link in a new tab shows the same view.
      const shared = await newPage();
      await signIn(shared, busy, '#/analytics?range=7d&interval=day&tag=ocean&type=VIDEO');
      await shared.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
      await expect.poll(() => shared.getByLabel('Range', { exact: true }).inputValue()).toBe('7d');
      await expect.poll(() => shared.getByLabel('Tag', { exact: true }).inputValue()).toBe('ocean');
      await expect.poll(() => shared.getByLabel('Type', { exact: true }).inputValue()).toBe('VIDEO');
      // A refused view (too many buckets) shows the API's words, not a blank chart.
      await shared.goto(`${base}/ui#/analytics?range=90d&interval=minute`);
      await expect
        .poll(() => card(shared, 'Views').getByRole('alert').innerText(), { timeout: 30_000 })
        .toContain('buckets');
      await p.context().close();
      await shared.context().close();
    });

    it('shows an asset’s own analytics in a tab of the asset page', async () => {
      const p = await newPage();
      await signIn(p, busy, `#/assets/${ids.kelp}`);
      await p.getByRole('heading', { name: LIBRARY.kelp.title, level: 1 }).waitFor();
      await p
        .getByRole('navigation', { name: 'Asset views' })
        .getByRole('link', { name: 'Analytics' })
        .click();
      await p.getByRole('heading', { name: `${LIBRARY.kelp.title}: analytics`, level: 1 }).waitFor();
      expect(await p.evaluate<string>('location.hash')).toBe(`#/assets/${ids.kelp}/analytics`);
      await settled(p);
      await card(p, 'Views').locator('.chart-plot canvas').first().waitFor();
      const [csv] = await Promise.all([
        p.waitForEvent('download'),
        card(p, 'Views').getByRole('button', { name: 'Download CSV of Views' }).click(),
      ]);
      const own = (await readFile(await csv.path(), 'utf8'))
        .trim()
        .split('\r\n')
        .slice(1)
        .reduce((n, l) => n + Number(l.split(',')[1]), 0);
      const all = await t.app.inject({
        url: `/v1/metrics?metric=views&assetId=${ids.kelp}&from=${encodeURIComponent(new Date(Date.now() - 31 * 86_400_000).toISOString())}`,
        headers: busy,
      });
      expect(own).toBe(all.json<{ series: { total: number }[] }>().series[0]!.total);
      await shot(p, 'analytics-asset');
      expect(pageErrors).toEqual([]);
      await p.context().close();
    });

    it('fits a phone and works with the keyboard alone', async () => {
      const p = await newPage(PHONE);
      await signIn(p, busy, '#/analytics?interval=day');
      await p.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
      await settled(p);
      expect(
        await p.evaluate<boolean>(
          'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
        ),
      ).toBe(true);
      const show = card(p, 'Views').getByRole('button', { name: 'Show table of Views' });
      await show.focus();
      await p.keyboard.press('Enter');
      await card(p, 'Views').locator('.chart-table tbody tr').first().waitFor();
      expect(
        await card(p, 'Views')
          .getByRole('button', { name: 'Hide table of Views' })
          .getAttribute('aria-expanded'),
      ).toBe('true');
      // The failing connector's page, reached with the keyboard from its row.
      const link = card(p, 'Unhealthy connectors').getByRole('link', { name: 'Broken partner feed' });
      await link.focus();
      await p.keyboard.press('Enter');
      await p.getByRole('heading', { name: 'Broken partner feed', level: 1 }).waitFor();
      expect(await p.evaluate<string>('location.hash')).toBe(`#/controllers/${brokenFeed}`);
      await expect.poll(() => p.locator('.controller-summary').innerText()).toMatch(/Unhealthy/i);
      expect(
        await p.evaluate<boolean>(
          'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
        ),
      ).toBe(true);
      await p.goBack();
      await p.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
      await shot(p, 'analytics-phone');
      expect(pageErrors).toEqual([]);
      await p.context().close();
    });
  },
  600_000,
);
