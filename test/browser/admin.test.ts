import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`test/browser skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}
const OUTPUT = new URL('../output/', import.meta.url);
const PHONE = { width: 375, height: 812 };
/** The focused element's name as the tests call it: its label, aria-label or text. */
const FOCUSED_NAME = `(() => {
  const el = document.activeElement;
  if (!el) return '';
  const label =
    (el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent : null) ??
    el.closest('label')?.textContent ??
    null;
  return (label ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
})()`;

type Key = { authorization: string };

/**
 * The settings, imports and saved-search screens in Chromium, through roles and labels only: API
 * keys (secret once, revoke with confirmation, the server's refusals), webhooks (deliveries,
 * redelivery), the import progress, saved searches, at phone width and with the keyboard alone.
 */
describe.skipIf(!hasChromium)(
  'the web UI’s settings, imports and saved searches in Chromium',
  () => {
    let t: TestApp;
    let browser: Browser;
    let base: string;
    let admin: Key;
    let receiver: Server;
    let receiverUrl: string;
    // The receiver refuses its first delivery, so the UI has a failed one to redeliver.
    let refusals = 1;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      t = await createTestApp({
        env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ATTEMPTS: '1', WEBHOOK_BACKOFF_MS: '20' },
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      receiver = createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(refusals-- > 0 ? 503 : 200).end());
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/media`;
      admin = await t.keyFor('default', 'ADMIN');
      await ingestNamed(t, admin, {
        kelp: anAssetInput({ title: 'Kelp forests at night', tags: ['underwater'] }),
        dune: anAssetInput({ title: 'Dune field at noon', tags: ['desert'] }),
      });
      await mkdir(OUTPUT, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
      receiver?.closeAllConnections();
      await new Promise((resolve) => receiver?.close(resolve));
    });

    async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
      const context = await browser.newContext(viewport ? { viewport } : {});
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      const p = await context.newPage();
      p.setDefaultTimeout(15_000);
      p.on('pageerror', (err) => pageErrors.push(err.message));
      p.on('console', (msg) => {
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
          pageErrors.push(msg.text());
      });
      p.on('dialog', (d) => {
        pageErrors.push(`unexpected dialog: ${d.message()}`);
        void d.dismiss();
      });
      return p;
    }

    const secret = (key: Key) => key.authorization.replace(/^Bearer /, '');
    const shot = (p: Page, name: string) =>
      p.screenshot({ path: fileURLToPath(new URL(`${name}.png`, OUTPUT)), fullPage: true });
    const textOf = async (l: Locator) => {
      await l.waitFor();
      return l.innerText();
    };
    const status = (p: Page) =>
      expect.poll(() => p.getByRole('status').last().innerText(), { timeout: 15_000 });
    const api = (key: Key, method: string, url: string, payload?: object) =>
      t.app.inject({ method: method as 'GET', url, headers: key, ...(payload ? { payload } : {}) });
    /** Nothing is wider than the screen: no sideways scrolling on a phone. */
    const fitsWidth = (p: Page) =>
      p.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

    async function signIn(p: Page, key: Key, hash = '') {
      await p.goto(`${base}/ui${hash}`);
      await p.getByLabel('API key').fill(secret(key));
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('button', { name: 'Sign out' }).waitFor();
    }

    /** Tabs until the element with this accessible label has focus: the keyboard alone. */
    async function tabTo(p: Page, name: string) {
      for (let i = 0; i < 60; i++) {
        await p.keyboard.press('Tab');
        const focused = await p.evaluate<string>(FOCUSED_NAME);
        if (focused === name) return;
      }
      throw new Error(`Tab never reached “${name}”`);
    }

    it('makes an API key, shows its secret once with a copy button, and revokes it after asking', async () => {
      const page = await newPage();
      await signIn(page, admin);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
      const keys = page.getByRole('table', { name: 'Active keys' });
      expect(await textOf(keys.getByRole('row').filter({ hasText: '(this key)' }))).toContain('admin');

      await page.getByLabel('Name').fill('CMS sync');
      await page.getByLabel('Role').selectOption('EDITOR');
      await page.getByRole('checkbox', { name: 'assets:write' }).check();
      await page.getByRole('checkbox', { name: 'assets:read' }).check();
      await page.getByRole('button', { name: 'Create key' }).click();
      const shown = page.getByRole('textbox', { name: 'The secret of “CMS sync”' });
      const value = await shown.inputValue();
      expect(value).toMatch(/^mdk_/);
      await expect.poll(() => page.getByText('it is shown this once').count()).toBe(1);
      await page.getByRole('button', { name: 'Copy' }).click();
      await status(page).toBe('Copied to the clipboard.');
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(value);
      // The new key works, and holds only what was asked.
      const made = { authorization: `Bearer ${value}` };
      expect((await api(made, 'GET', '/v1/jobs?limit=1')).statusCode).toBe(200);
      expect((await api(made, 'GET', '/v1/search?q=kelp')).statusCode).toBe(403);
      await shot(page, 'admin-key-secret');

      await page.getByRole('button', { name: 'I have stored it' }).click();
      expect(await page.content()).not.toContain(value);
      const row = keys.getByRole('row').filter({ hasText: 'CMS sync' });
      expect(await textOf(row)).toContain('assets:read, assets:write');
      expect(await row.innerText()).toContain('never');

      await row.getByRole('button', { name: 'Revoke CMS sync' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke “CMS sync”?' });
      await dialog.waitFor();
      // Escape is "no": nothing is revoked.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect((await api(made, 'GET', '/v1/jobs?limit=1')).statusCode).toBe(200);

      await row.getByRole('button', { name: 'Revoke CMS sync' }).click();
      await dialog.getByRole('button', { name: 'Revoke key' }).click();
      await status(page).toBe('Key “CMS sync” revoked.');
      await row.waitFor({ state: 'detached' });
      expect(await textOf(page.getByText('Revoked keys (1)'))).toBeTruthy();
      expect((await api(made, 'GET', '/v1/jobs?limit=1')).statusCode).toBe(401);
      await page.context().close();
    });

    it('shows the server’s refusal to revoke the last ADMIN key, in words', async () => {
      const solo = await t.keyFor('solo', 'ADMIN');
      const page = await newPage();
      await signIn(page, solo, '#/settings/keys');
      const row = page.getByRole('row').filter({ hasText: '(this key)' });
      await row.getByRole('button', { name: /^Revoke/ }).click();
      const dialog = page.getByRole('dialog');
      expect(await textOf(dialog)).toContain('You are signed in with this key');
      await dialog.getByRole('button', { name: 'Revoke key' }).click();
      expect(await textOf(dialog.getByRole('alert'))).toContain('this is the last ADMIN key of the tenant');
      await expect.poll(() => dialog.getByRole('button', { name: 'Revoke key' }).count()).toBe(0);
      await shot(page, 'admin-key-last-admin');
      await dialog.getByRole('button', { name: 'Close' }).click();
      expect((await api(solo, 'GET', '/v1/api-keys')).statusCode).toBe(200);
      await page.context().close();
    });

    it('offers a developer only what it may grant, and a viewer an explanation', async () => {
      const developer = await t.keyFor('default', 'DEVELOPER');
      const page = await newPage();
      await signIn(page, developer, '#/settings/keys');
      await expect
        .poll(() => page.getByLabel('Role').locator('option').allInnerTexts())
        .toEqual(['developer', 'viewer']);
      const adminRow = page.getByRole('row').filter({ hasText: 'test-ADMIN' }).first();
      expect(await textOf(adminRow)).toContain('Holds more than this key');
      await expect.poll(() => adminRow.getByRole('button').count()).toBe(0);
      // A developer manages webhooks too: both settings pages are offered.
      await expect
        .poll(() => page.getByRole('navigation', { name: 'Settings' }).getByRole('link').allInnerTexts())
        .toEqual(['API keys', 'Webhooks']);
      await page.getByRole('button', { name: 'Sign out' }).click();

      // A viewer is offered no settings (GET /v1/me says what it holds); sent there by a link, it is told why.
      await signIn(page, await t.keyFor('default', 'VIEWER'));
      const main = page.getByRole('navigation', { name: 'Main' });
      await main.getByRole('link', { name: 'Saved' }).waitFor();
      await expect
        .poll(() => main.getByRole('link').allInnerTexts())
        .toEqual(['Search', 'Tags', 'Jobs', 'Imports', 'Saved']);
      await page.goto(`${base}/ui#/settings/keys`);
      expect(await textOf(page.getByRole('alert'))).toContain('needs the keys:manage permission');
      await expect
        .poll(() => page.getByRole('navigation', { name: 'Settings' }).getByRole('link').allInnerTexts())
        .toEqual(['API keys']);
      await page.goto(`${base}/ui#/settings/webhooks`);
      expect(await textOf(page.getByRole('alert'))).toContain('needs the webhooks:manage permission');
      await page.context().close();
    });

    it('registers a webhook, shows its deliveries, redelivers a failed one, pauses and deletes it', async () => {
      const page = await newPage();
      await signIn(page, admin, '#/settings/webhooks');
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

      // The API's problem detail, for a URL it refuses.
      await page.getByLabel('URL').fill('ftp://example.com/hook');
      await page.getByRole('button', { name: 'Register webhook' }).click();
      expect(await textOf(page.getByRole('alert'))).toMatch(/http/);

      await page.getByLabel('URL').fill(receiverUrl);
      await page.getByRole('checkbox', { name: 'asset.enriched' }).uncheck();
      await page.getByRole('button', { name: 'Register webhook' }).click();
      const shown = page.getByRole('textbox', { name: `The signing secret of ${receiverUrl}` });
      await expect.poll(() => shown.inputValue()).toMatch(/^whsec_/);
      await page.getByRole('button', { name: 'I have stored it' }).click();
      const hook = page.getByRole('listitem').filter({ hasText: receiverUrl });
      expect(await textOf(hook)).toContain('asset.created');

      await ingestNamed(t, admin, { reef: anAssetInput({ title: 'Coral reef census' }) });
      await hook.getByText('Recent deliveries').click();
      const failed = hook.getByRole('row').filter({ hasText: 'asset.created' });
      await expect
        .poll(
          async () => {
            await hook.getByRole('button', { name: /^Refresh/ }).click();
            return failed.innerText();
          },
          { timeout: 20_000 },
        )
        .toContain('failed');
      expect(await failed.innerText()).toContain('503');
      await shot(page, 'admin-webhooks');
      await failed.getByRole('button', { name: 'Redeliver asset.created' }).click();
      await status(page).toBe('Delivery of asset.created queued again.');
      await expect
        .poll(
          async () => {
            await hook.getByRole('button', { name: /^Refresh/ }).click();
            return failed.innerText();
          },
          { timeout: 20_000 },
        )
        .toContain('succeeded');

      // "Send test": the button keeps the focus and says it is sending, then the page says how it went.
      const sendTest = hook.getByRole('button', { name: `Send test to ${receiverUrl}` });
      await sendTest.focus();
      await page.keyboard.press('Enter');
      await status(page).toBe(`${receiverUrl}: Test delivered (HTTP 200).`);
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toContain('Send test');
      await expect.poll(() => sendTest.getAttribute('aria-disabled')).toBeNull();

      await hook.getByRole('button', { name: `Pause ${receiverUrl}` }).click();
      await status(page).toBe(`Webhook ${receiverUrl} paused.`);
      expect(await hook.innerText()).toContain('paused');
      await hook.getByRole('button', { name: `Delete ${receiverUrl}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete webhook' }).click();
      await status(page).toBe(`Webhook ${receiverUrl} deleted.`);
      expect(await textOf(page.getByText('No webhooks yet.'))).toBeTruthy();
      await page.context().close();
    });

    it('shows an import’s progress and says when it is done', async () => {
      const importer = await t.keyFor('importer', 'EDITOR');
      const page = await newPage();
      await signIn(page, importer, '#/imports');
      await page.getByRole('heading', { name: 'No assets yet' }).waitFor();

      const res = await api(importer, 'POST', '/v1/assets/batch', {
        assets: ['Tides', 'Currents', 'Waves'].map((title) => anAssetInput({ title })),
      });
      expect(res.statusCode, res.body).toBe(201);
      await page.getByRole('heading', { name: 'Idle: everything is processed' }).waitFor({ timeout: 30_000 });
      const counts = page.getByRole('region', { name: 'Assets by status' });
      expect(await textOf(counts)).toMatch(/Enriched\s*3/);
      await expect
        .poll(() => page.getByRole('progressbar', { name: 'Processed' }).getAttribute('value'))
        .toBe('3');
      await expect
        .poll(() => page.getByRole('img').getAttribute('aria-label'))
        .toContain('3 ingested, 3 enriched');
      await page.getByText('The last hour, minute by minute').click();
      // Summed over the minutes: the batch may straddle a minute's end.
      const totals = async () => {
        const rows = await page.getByRole('table').locator('tbody tr').allInnerTexts();
        // Each row: the minute, then ingested, enriched and failed.
        const cells = rows.map((row) => row.split('\t').slice(1).map(Number));
        return [0, 1, 2].map((col) => cells.reduce((sum, c) => sum + (c[col] ?? 0), 0));
      };
      await expect.poll(totals).toEqual([3, 3, 0]);
      await shot(page, 'admin-imports');
      await page.context().close();
    });

    it('lists saved searches shared by the tenant’s keys, opens one and deletes with the right key', async () => {
      const viewer = await t.keyFor('default', 'VIEWER');
      const colleague = await t.keyFor('default', 'VIEWER');
      const mine = await api(viewer, 'POST', '/v1/saved-searches', { name: 'Kelp only', query: 'q=kelp' });
      const theirs = await api(colleague, 'POST', '/v1/saved-searches', {
        name: 'Desert tag',
        query: 'q=&tag=desert',
      });
      expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);

      const page = await newPage();
      await signIn(page, viewer);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Saved' }).click();
      await page.getByRole('heading', { name: 'Saved searches', level: 1 }).waitFor();
      expect(await textOf(page.getByRole('listitem').filter({ hasText: 'Desert tag' }))).toContain(
        'tag: desert',
      );

      // Someone else's: the API refuses, and says why.
      await page.getByRole('button', { name: 'Delete Desert tag' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete saved search' }).click();
      expect(await textOf(page.getByRole('dialog').getByRole('alert'))).toContain('only the key that saved');
      await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

      await page.getByRole('link', { name: 'Desert tag' }).click();
      await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
      expect(page.url()).toContain('#/search?q=&tag=desert');
      await page.getByRole('heading', { name: 'Dune field at noon' }).waitFor();

      await page.goBack();
      await page.getByRole('button', { name: 'Delete Kelp only' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete saved search' }).click();
      await status(page).toBe('Saved search “Kelp only” deleted.');
      await expect.poll(() => page.getByRole('link', { name: 'Kelp only' }).count()).toBe(0);
      await page.context().close();
    });

    it('saves the current search from the search page', async () => {
      const page = await newPage();
      await signIn(page, admin, '#/search?q=kelp&tag=underwater');
      // Saved once the results are on screen, as a person would: the count they announce would
      // otherwise replace the confirmation when the search answers after the save.
      await page.getByRole('heading', { name: 'Kelp forests at night' }).waitFor();
      await status(page).toBe('1 result');
      await page.getByRole('button', { name: 'Save search' }).click();
      const name = page.getByRole('textbox', { name: 'Name' });
      await expect.poll(() => name.inputValue()).toBe('“kelp”, tag: underwater');
      await name.fill('Underwater kelp');
      await page.keyboard.press('Enter');
      await status(page).toBe('Saved search “Underwater kelp”.');
      const list = (await api(admin, 'GET', '/v1/saved-searches')).json<{
        items: { name: string; query: string }[];
      }>();
      expect(list.items).toContainEqual(
        expect.objectContaining({ name: 'Underwater kelp', query: 'q=kelp&tag=underwater' }),
      );
      await page.context().close();
    });

    it('works with the keyboard alone: makes a key and cancels a revocation', async () => {
      const page = await newPage();
      await signIn(page, admin, '#/settings/keys');
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
      await tabTo(page, 'Name');
      await page.keyboard.type('Keyboard key');
      await page.keyboard.press('Tab');
      await page.keyboard.press('End'); // the last role offered: viewer
      await tabTo(page, 'Create key');
      await page.keyboard.press('Enter');
      // Focus moves to the secret, so it is read out first.
      await expect
        .poll(() => page.evaluate<string | null>("document.activeElement?.getAttribute('aria-labelledby')"))
        .toBe('secret-title');
      await tabTo(page, 'I have stored it');
      await page.keyboard.press('Enter');
      const row = page.getByRole('row').filter({ hasText: 'Keyboard key' });
      expect(await textOf(row)).toContain('viewer');
      await tabTo(page, 'Revoke Keyboard key');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      // Cancel has focus: Enter on it changes nothing.
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => row.count()).toBe(1);
      await page.context().close();
    });

    /** The focused element shows it: a visible outline, not the page body. */
    const focusShown = (p: Page) =>
      p.evaluate<boolean>(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body || !el.matches(':focus-visible')) return false;
        const s = getComputedStyle(el);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
      })()`);
    /** Presses Enter on the control Tab reaches by this name, after checking it shows its focus. */
    async function press(p: Page, name: string) {
      await tabTo(p, name);
      expect(await focusShown(p), `focus shown on “${name}”`).toBe(true);
      await p.keyboard.press('Enter');
    }

    it('works with the keyboard alone at phone width on the webhooks page', async () => {
      const page = await newPage(PHONE);
      await signIn(page, admin, '#/settings/webhooks');
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
      await tabTo(page, 'URL');
      await page.keyboard.type(receiverUrl);
      await tabTo(page, 'asset.enriched');
      expect(await focusShown(page)).toBe(true);
      await page.keyboard.press('Space');
      await expect.poll(() => page.getByRole('checkbox', { name: 'asset.enriched' }).isChecked()).toBe(false);
      await press(page, 'Register webhook');
      await page.getByRole('textbox', { name: `The signing secret of ${receiverUrl}` }).waitFor();
      await press(page, 'I have stored it');
      const hook = page.getByRole('listitem').filter({ hasText: receiverUrl });
      expect(await textOf(hook)).toContain('asset.created');

      // The deliveries disclosure opens with Enter, and its Refresh is reachable.
      await press(page, `Recent deliveries of ${receiverUrl}`);
      await press(page, `Refresh deliveries of ${receiverUrl}`);
      await expect.poll(() => hook.locator('details').getAttribute('open')).not.toBeNull();

      await press(page, `Pause ${receiverUrl}`);
      await status(page).toBe(`Webhook ${receiverUrl} paused.`);
      // The button keeps the focus, now saying what it does next.
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe(`Resume ${receiverUrl}`);

      // Delete asks; Escape cancels and gives the focus back to the button that asked.
      await press(page, `Delete ${receiverUrl}`);
      const dialog = page.getByRole('dialog', { name: 'Delete this webhook?' });
      await dialog.waitFor();
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe('Cancel');
      await shot(page, 'keyboard-webhooks-confirm');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe(`Delete ${receiverUrl}`);
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await press(page, 'Delete webhook');
      await status(page).toBe(`Webhook ${receiverUrl} deleted.`);
      // The button that asked is gone with the webhook: the focus goes to the page's heading, not the body.
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe('Webhooks');
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, 'keyboard-webhooks');
      await page.context().close();
    });

    it('works with the keyboard alone at phone width on the saved searches and imports pages', async () => {
      const made = await api(admin, 'POST', '/v1/saved-searches', {
        name: 'Keyboard dunes',
        query: 'q=dune',
      });
      expect(made.statusCode, made.body).toBe(201);
      const page = await newPage(PHONE);
      await signIn(page, admin, '#/saved');
      await page.getByRole('heading', { name: 'Saved searches', level: 1 }).waitFor();

      await press(page, 'Delete Keyboard dunes');
      const dialog = page.getByRole('dialog', { name: 'Delete “Keyboard dunes”?' });
      await dialog.waitFor();
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe('Cancel');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe('Delete Keyboard dunes');

      // Shift+Tab back to the link, Enter opens the search it saved.
      await page.keyboard.press('Shift+Tab');
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe('Keyboard dunes');
      expect(await focusShown(page)).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Dune field at noon' }).waitFor();
      expect(page.url()).toContain('#/search?q=dune');
      await page.goBack();
      await page.getByRole('heading', { name: 'Saved searches', level: 1 }).waitFor();

      await press(page, 'Delete Keyboard dunes');
      await dialog.waitFor();
      await press(page, 'Delete saved search');
      await status(page).toBe('Saved search “Keyboard dunes” deleted.');
      // The button that asked is gone with the search: the focus goes to the page's heading.
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe('Saved searches');
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, 'keyboard-saved');

      await page.goto(`${base}/ui#/imports`);
      await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Idle: everything is processed' }).waitFor({ timeout: 30_000 });
      await press(page, 'search');
      await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Idle: everything is processed' }).waitFor();
      await press(page, 'The last hour, minute by minute');
      await page.getByRole('table').waitFor();
      await expect.poll(() => page.locator('details').getAttribute('open')).not.toBeNull();
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, 'keyboard-imports');
      await page.context().close();
    });

    it('folds the main links behind a Menu button on a phone, usable with the keyboard', async () => {
      const page = await newPage(PHONE);
      await signIn(page, admin, '#/saved');
      await page.getByRole('heading', { name: 'Saved searches', level: 1 }).waitFor();
      const menu = page.getByRole('button', { name: 'Menu' });
      await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
      await expect.poll(() => page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      expect(await fitsWidth(page)).toBe(true);
      await menu.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('true');
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, 'phone-menu');
      // Escape closes it and leaves focus on the button.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Escape');
      await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
      await expect.poll(() => page.evaluate<string>(FOCUSED_NAME)).toBe('Menu');
      // A link followed closes the menu.
      await page.keyboard.press('Enter');
      await tabTo(page, 'Settings');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
      await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
      await page.context().close();
    });

    it('fits a phone’s width on every new screen', async () => {
      const page = await newPage(PHONE);
      await signIn(page, admin);
      for (const [hash, heading, name] of [
        ['#/settings/keys', 'API keys', 'phone-keys'],
        ['#/settings/webhooks', 'Webhooks', 'phone-webhooks'],
        ['#/imports', 'Imports', 'phone-imports'],
        ['#/saved', 'Saved searches', 'phone-saved'],
      ] as const) {
        await page.goto(`${base}/ui${hash}`);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        expect(await fitsWidth(page), hash).toBe(true);
        await shot(page, name);
      }
      await page.context().close();
    });

    it('raised no script errors, CSP violations or dialogs on any page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
  60_000,
);
