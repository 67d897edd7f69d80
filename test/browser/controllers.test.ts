import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import {
  CHROMIUM,
  OUTPUT,
  PHONE,
  fitsWidth,
  focusedName,
  hasChromium,
  newPage,
  screenshot,
  signIn,
  tabTo,
} from '../support/browser.js';
import { anAssetInput } from '../support/factories.js';
import { FeedServer, type TestFeedItem } from '../support/feed-server.js';
import { PartnerServer } from '../support/partner-server.js';

type Key = { authorization: string };

const talks = (from: number, n: number): TestFeedItem[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `talk-${from + i}`,
    title: `Deep sea talk ${from + i}`,
    description: `Part ${from + i} of the deep sea series.`,
    speaker: 'Sylvia Earle',
    keywords: ['ocean'],
  }));

/**
 * Issue 25 in the browser: the Controllers pages against a loopback feed server. A controller is
 * added through the form (a refused URL shown beside its field), synced by the schedule and by hand,
 * its runs and counts read in its history, its settings changed, disabled, seen unhealthy on a
 * malformed feed, and deleted after asking; then the same by keyboard alone at phone width; a
 * partner push against a loopback partner (its signing secret shown once, its pushed records in its
 * history); and a key without workflows:manage told why it sees none.
 */
describe.skipIf(!hasChromium)(
  'the Controllers pages in Chromium',
  () => {
    let t: TestApp;
    let browser: Browser;
    let base: string;
    let admin: Key;
    const feed = new FeedServer();
    const partner = new PartnerServer();
    const pageErrors: string[] = [];

    beforeAll(async () => {
      await feed.start();
      await partner.start();
      // A fast schedule: a new enabled controller runs at the next tick, a fifth of a second away.
      // Egress sends a change at once (no settle window) and tries a failed batch again at once.
      t = await createTestApp({
        env: {
          WEBHOOK_ALLOW_PRIVATE: 'true',
          CONTROLLER_TICK_MS: '200',
          CONTROLLER_EGRESS_SETTLE_MS: '0',
          CONTROLLER_PUSH_RETRY_MS: '0',
        },
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      admin = await t.keyFor('default', 'ADMIN');
      await mkdir(OUTPUT, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
      await feed.stop();
      await partner.stop();
    });

    const controllerNamed = async (name: string, headers: Key = admin) => {
      const res = await t.app.inject({ url: '/v1/controllers', headers });
      const items = res.json<{ items: { id: string; name: string }[] }>().items;
      return items.find((c) => c.name === name);
    };
    const controller = async (id: string, headers: Key = admin) => {
      const res = await t.app.inject({ url: `/v1/controllers/${id}`, headers });
      return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
    };
    /** The newest run's row of the history, as cells by their column. */
    const newestRun = async (p: Page) => {
      const row = p.getByRole('table', { name: 'Run history' }).locator('tbody tr').first();
      if ((await row.count()) === 0) return {};
      const cells: Record<string, string> = {};
      for (const td of await row.locator('td[data-label]').all())
        cells[(await td.getAttribute('data-label')) ?? ''] = (await td.innerText()).trim();
      return cells;
    };
    const health = (p: Page) => p.locator('.controller-summary .controller-health').innerText();

    it('adds an MRSS controller, follows its runs, changes it, sees it fail, and deletes it', async () => {
      feed.items = talks(1, 3);
      feed.malformed = false;
      const page = await newPage(browser, pageErrors);
      await signIn(page, base, admin);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Controllers' }).click();
      await page.getByRole('heading', { name: 'Controllers', level: 1 }).waitFor();
      await page.getByText('No controllers yet').waitFor();

      // A URL the API refuses: its words beside the field, the field marked and focused.
      await page.getByLabel('Kind').selectOption({ label: 'Media RSS feed' });
      await page.getByLabel('Name').fill('Deep sea library');
      const url = page.getByLabel('Feed URL');
      await url.fill('ftp://feeds.example.com/library.rss');
      await page.getByRole('button', { name: 'Add controller' }).click();
      await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await url.getAttribute('aria-describedby')) ?? '';
      const urlError = page.locator(`[id="${describedBy.split(' ')[0]}"]`);
      await expect.poll(() => urlError.innerText()).toContain('must be http or https');
      await expect.poll(() => focusedName(page)).toBe('Feed URL');
      await page.getByText('The controller was not added: one field needs a change.').waitFor();
      await screenshot(page, 'controllers-field-error');

      await url.fill(`${feed.url}/feed.rss`);
      await page.getByRole('button', { name: 'Add controller' }).click();
      await expect.poll(() => url.getAttribute('aria-invalid')).toBe(null);
      const row = page.getByRole('table', { name: 'Controllers of this library' }).getByRole('row', {
        name: /Deep sea library/,
      });
      // The schedule runs it at its next tick; the list polls until it has.
      await expect.poll(() => row.innerText(), { timeout: 60_000 }).toContain('healthy');
      const listed = await row.innerText();
      expect(listed).toContain('Media RSS feed');
      expect(listed).toContain('enabled');
      expect(listed).toContain('every 15 min');
      expect(listed).toContain('info');
      // The last sync in words, the moment in full in its title.
      const lastSync = row.locator('td[data-label="Last sync"] time');
      expect(await lastSync.getAttribute('title')).toBeTruthy();
      expect(await lastSync.innerText()).toMatch(/now|second|minute/);
      await screenshot(page, 'controllers-list');

      await row.getByRole('link', { name: 'Deep sea library' }).click();
      await page.getByRole('heading', { name: 'Deep sea library', level: 1 }).waitFor();
      await expect
        .poll(() => newestRun(page), { timeout: 30_000 })
        .toMatchObject({
          Outcome: 'succeeded',
          New: '3',
          Updated: '0',
          Unchanged: '0',
          Failed: '0',
          Archived: '0',
          Deleted: '0',
        });

      // A changed item and a new one, synced by hand.
      feed.items = [{ ...talks(1, 1)[0]!, title: 'Deep sea talk 1, revised' }, ...talks(2, 3)];
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect
        .poll(() => newestRun(page), { timeout: 30_000 })
        .toMatchObject({
          Outcome: 'succeeded',
          New: '1',
          Updated: '1',
          Unchanged: '2',
        });
      await expect
        .poll(() => page.getByRole('table', { name: 'Run history' }).locator('tbody tr').count())
        .toBe(2);

      // The interval, the logging level and what becomes of items that leave the feed.
      const id = (await controllerNamed('Deep sea library'))!.id;
      await page.getByLabel('Sync interval (minutes)').fill('60');
      await page.getByLabel('Logging level').selectOption('warning');
      await page.getByLabel('When an item leaves the feed').selectOption({ label: 'Archive its asset' });
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(() => page.locator('.controller-summary').innerText()).toContain('every 1 h');
      await expect
        .poll(async () => (await controller(id)).body)
        .toMatchObject({
          syncIntervalMinutes: 60,
          loggingLevel: 'warning',
          configuration: { whenGone: 'archive' },
        });

      await page.getByRole('button', { name: 'Disable' }).click();
      await page.getByRole('button', { name: 'Enable' }).waitFor();
      await expect.poll(() => page.locator('.controller-summary').innerText()).toContain('disabled');
      await expect.poll(async () => (await controller(id)).body.enabled).toBe(false);

      // A malformed feed: the run fails, the controller turns unhealthy and says why.
      feed.malformed = true;
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => health(page), { timeout: 30_000 }).toMatch(/^unhealthy: \S/);
      const lastError = (await controller(id)).body.lastError as string;
      expect(lastError).toBeTruthy();
      // Shown as the page shows text: runs of white space as one.
      const words = (s: string) => s.replace(/\s+/g, ' ').trim();
      expect(words(await health(page))).toContain(words(lastError));
      await expect.poll(() => newestRun(page)).toMatchObject({ Outcome: 'failed', Error: words(lastError) });
      await screenshot(page, 'controller-unhealthy');
      feed.malformed = false;

      await page.getByRole('link', { name: '← Controllers' }).click();
      await expect.poll(() => row.innerText()).toContain(`unhealthy: ${words(lastError)}`);
      expect(await row.innerText()).toContain('disabled');
      await row.getByRole('link', { name: 'Deep sea library' }).click();

      // Deleting asks first, with the focus on Cancel.
      await page.getByRole('button', { name: 'Delete' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete this controller?' });
      await dialog.waitFor();
      await expect.poll(() => focusedName(page)).toBe('Cancel');
      await dialog.getByRole('button', { name: 'Delete controller' }).click();
      await page.getByRole('heading', { name: 'Controllers', level: 1 }).waitFor();
      await page.getByText('No controllers yet').waitFor();
      await expect.poll(async () => (await controller(id)).status).toBe(404);
      expect(pageErrors).toEqual([]);
      await page.context().close();
    });

    it('adds a JSON Feed controller by keyboard alone at 375 px, with nothing wider than the screen', async () => {
      feed.items = talks(10, 3);
      feed.malformed = false;
      const phone = await newPage(browser, pageErrors, PHONE);
      await signIn(phone, base, admin, '#/controllers');
      await phone.getByRole('heading', { name: 'Controllers', level: 1 }).waitFor();
      expect(await fitsWidth(phone)).toBe(true);

      await tabTo(phone, 'Kind');
      await phone.keyboard.press('ArrowDown'); // JSON Feed
      await expect.poll(() => phone.getByLabel('Kind').inputValue()).toBe('json-feed');
      await tabTo(phone, 'Name');
      await phone.keyboard.type('Podcast by keyboard');
      await tabTo(phone, 'Feed URL');
      await phone.keyboard.type(`${feed.url}/feed.json`);
      await tabTo(phone, 'Add controller');
      await phone.keyboard.press('Enter');

      const link = phone.getByRole('link', { name: 'Podcast by keyboard' });
      await link.waitFor();
      await expect.poll(() => fitsWidth(phone)).toBe(true);
      await screenshot(phone, 'controllers-list-375');
      await tabTo(phone, 'Podcast by keyboard');
      await phone.keyboard.press('Enter');
      await phone.getByRole('heading', { name: 'Podcast by keyboard', level: 1 }).waitFor();
      // The JSON Feed is read in pages of two: three items, one run.
      await expect
        .poll(() => newestRun(phone), { timeout: 60_000 })
        .toMatchObject({
          Outcome: 'succeeded',
          New: '3',
        });
      await expect.poll(() => fitsWidth(phone)).toBe(true);
      await screenshot(phone, 'controller-375');

      // Delete by keyboard: Escape first changes nothing and gives the focus back.
      await tabTo(phone, 'Delete');
      await phone.keyboard.press('Enter');
      await expect.poll(() => focusedName(phone)).toBe('Cancel');
      await phone.keyboard.press('Escape');
      await expect.poll(() => focusedName(phone)).toBe('Delete');
      await phone.keyboard.press('Enter');
      await tabTo(phone, 'Delete controller');
      await phone.keyboard.press('Enter');
      await phone.getByRole('heading', { name: 'Controllers', level: 1 }).waitFor();
      await expect.poll(async () => (await controllerNamed('Podcast by keyboard')) ?? null).toBe(null);
      expect(pageErrors).toEqual([]);
      await phone.context().close();
    });

    it('adds a partner push, shows its signing secret once, and counts what the partner acknowledged', async () => {
      // A library of its own: the partner gets exactly its two assets.
      const key = await t.keyFor('partner-push-ui', 'ADMIN');
      const ids = await ingestNamed(t, key, {
        currents: anAssetInput({ title: 'Currents' }),
        tides: anAssetInput({ title: 'Tides' }),
      });
      // Enriched first: an asset the workers change during the push would be sent twice.
      for (const id of Object.values(ids)) {
        await expect
          .poll(
            async () =>
              (await t.app.inject({ url: `/v1/assets/${id}`, headers: key })).json<{ status: string }>()
                .status,
            { timeout: 60_000 },
          )
          .toBe('PROCESSED');
      }
      const page = await newPage(browser, pageErrors);
      await signIn(page, base, key, '#/controllers');
      await page.getByRole('heading', { name: 'Controllers', level: 1 }).waitFor();
      await page.getByText('No controllers yet').waitFor();

      await page.getByLabel('Kind').selectOption({ label: 'Partner push' });
      await page.getByLabel('Name').fill('Acme enrichment feed');
      await page.getByLabel('Partner endpoint URL').fill(partner.url);
      await page.getByLabel('Attempts per batch').fill('2');
      // Disabled: the schedule does not push before the partner holds the secret.
      await page.getByLabel('Enabled: sync on schedule').uncheck();
      await page.getByRole('button', { name: 'Add controller' }).click();

      // The secret, this once, with the focus on it and the form out of the way until it is stored.
      const label = 'The signing secret of “Acme enrichment feed”';
      const secretField = page.getByRole('textbox', { name: label });
      await secretField.waitFor();
      await expect.poll(() => secretField.inputValue()).toMatch(/^whsec_/);
      const secret = await secretField.inputValue();
      await expect
        .poll(() => page.evaluate<string>('document.activeElement?.getAttribute("aria-labelledby") ?? ""'))
        .toBe('secret-title');
      expect(await page.getByRole('form', { name: 'New controller' }).count()).toBe(0);
      await screenshot(page, 'controller-partner-secret');
      const row = page.getByRole('table', { name: 'Controllers of this library' }).getByRole('row', {
        name: /Acme enrichment feed/,
      });
      await expect.poll(() => row.innerText()).toContain('Partner push');
      await expect.poll(() => row.locator('td[data-label="Direction"]').innerText()).toBe('egress');
      expect(await row.innerText()).toContain('disabled');

      await page.getByRole('button', { name: 'I have stored it' }).click();
      await page.getByRole('form', { name: 'New controller' }).waitFor();
      await expect.poll(() => page.getByRole('region', { name: label }).count()).toBe(0);
      await expect.poll(() => page.locator('body').innerText()).not.toContain(secret);
      const created = (await controllerNamed('Acme enrichment feed', key))!;
      // No read answers it again, the API's nor the page's.
      expect((await controller(created.id, key)).body).not.toHaveProperty('secret');
      partner.secret = secret;

      await row.getByRole('link', { name: 'Acme enrichment feed' }).click();
      await page.getByRole('heading', { name: 'Acme enrichment feed', level: 1 }).waitFor();
      const summary = page.locator('.controller-summary');
      await expect.poll(() => summary.innerText()).toContain('egress: pushes enrichment out');
      await expect.poll(() => summary.innerText()).toContain(partner.url);
      expect(await summary.innerText()).toContain('Attempts per batch');
      expect(await page.locator('body').innerText()).not.toContain(secret);
      // An egress controller has no whenGone to set.
      expect(await page.getByLabel('When an item leaves the feed').count()).toBe(0);
      await page.getByText('No runs yet').waitFor();

      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect
        .poll(() => newestRun(page), { timeout: 30_000 })
        .toMatchObject({ Outcome: 'succeeded', Pushed: '2', Failed: '0' });
      // Its history counts what a push does, not what an ingress run does.
      const columns = await page
        .getByRole('table', { name: 'Run history' })
        .locator('thead th')
        .allInnerTexts();
      expect(columns).toContain('Pushed');
      for (const ingressOnly of ['New', 'Updated', 'Unchanged', 'Archived', 'Deleted', 'Written'])
        expect(columns).not.toContain(ingressOnly);
      // The partner verified every batch with the secret the page showed.
      const received = partner.requests.filter((r) => r.body.controllerId === created.id);
      expect(received.length).toBeGreaterThan(0);
      expect(received.every((r) => r.verified && r.status === 200)).toBe(true);
      expect(partner.acknowledged().map((r) => r.op)).toEqual(['upsert', 'upsert']);
      await expect.poll(() => health(page)).toBe('healthy');
      await screenshot(page, 'controller-partner-push');

      // Its name and configuration changed in its settings: the fields of the form that added it.
      await expect.poll(() => page.getByLabel('Partner endpoint URL').inputValue()).toBe(partner.url);
      const renamed = 'Acme enrichment feed, renamed';
      const endpoint = `${partner.url}?renamed=1`;
      await page.getByLabel('Name', { exact: true }).fill(renamed);
      await page.getByLabel('Partner endpoint URL').fill(endpoint);
      await page.getByLabel('Attempts per batch').fill('2');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('heading', { name: renamed, level: 1 }).waitFor();
      await expect
        .poll(async () => (await controller(created.id, key)).body)
        .toMatchObject({ name: renamed, configuration: { url: endpoint, attempts: 2 } });
      await expect.poll(() => summary.innerText()).toContain(endpoint);

      // A new signing secret, shown this once, until stored.
      await page.getByRole('button', { name: 'New signing secret' }).click();
      const rotatedField = page.getByRole('textbox', { name: `The new signing secret of “${renamed}”` });
      await expect.poll(() => rotatedField.inputValue()).toMatch(/^whsec_/);
      const rotated = await rotatedField.inputValue();
      expect(rotated).not.toBe(secret);
      await page.getByRole('button', { name: 'I have stored it' }).click();
      await expect.poll(() => page.locator('body').innerText()).not.toContain(rotated);
      expect((await controller(created.id, key)).body).not.toHaveProperty('secret');
      expect(pageErrors).toEqual([]);
      await page.context().close();
    });

    it('tells a key without workflows:manage why it sees no controllers, and offers no link', async () => {
      const developer = await t.keyFor('default', 'DEVELOPER');
      const page = await newPage(browser, pageErrors);
      await signIn(page, base, developer, '#/controllers');
      await page.getByRole('heading', { name: 'Controllers', level: 1 }).waitFor();
      await expect
        .poll(() => page.getByRole('alert').innerText())
        .toContain('needs the workflows:manage permission');
      expect(await page.getByRole('form', { name: 'New controller' }).count()).toBe(0);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Search' }).waitFor({ state: 'attached' });
      expect(await nav.getByRole('link', { name: 'Controllers' }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
      await page.context().close();
    });
  },
  240_000,
);
