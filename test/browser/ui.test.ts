import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractAll } from '../../enrichment/extract.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`test/browser skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}
const OUTPUT = new URL('../output/', import.meta.url);

const KELP = 'Kelp forests at night';
const TRICKY = 'Kelp <img src=x onerror=alert(1)> tricks';

interface AssetBody {
  version: number;
  enrichment: { tags: { name: string }[] };
}

/**
 * The web UI at /ui, driven in Chromium as an editor would use it, through roles and labels only:
 * sign-in, search, the asset page's tag editor, a conflict between two sessions, rollback, and jobs.
 */
describe.skipIf(!hasChromium)(
  'the web UI in Chromium',
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    let base: string;
    let editor: { authorization: string };
    let ids: Record<'kelp' | 'holdfast' | 'tricky' | 'dune', string>;
    // Fails the brands capability of the asset titled "Flaky…" once, so its job dead-letters.
    let failBrands = 1;
    // Errors the page raised, and console errors other than the failed requests the tests cause.
    const pageErrors: string[] = [];

    beforeAll(async () => {
      t = await createTestApp({
        env: { JOB_ATTEMPTS: '1', JOB_BACKOFF_MS: '20' },
        extract: (asset, ctx, capabilities) => {
          const result = extractAll(asset, ctx, capabilities);
          if (!asset.title.startsWith('Flaky') || failBrands === 0) return result;
          failBrands--;
          return {
            ...result,
            completed: result.completed.filter((c) => c !== 'brands'),
            failed: [{ capability: 'brands', error: 'gazetteer service unavailable' }],
          };
        },
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      editor = await t.keyFor('default', 'EDITOR');
      ids = await ingestNamed(t, editor, {
        kelp: anAssetInput({
          title: KELP,
          description: 'Divers film the canopy after dark.',
          tags: ['underwater'],
          speakers: ['Mara Quill'],
          transcript:
            '[00:00:05] Mara Quill: We drop into the forest after sunset.\n' +
            '[00:01:23] Mara Quill: The water glows with plankton all around us.',
        }),
        holdfast: anAssetInput({ title: 'Kelp holdfast survey', tags: ['survey'], speakers: ['Mara Quill'] }),
        tricky: anAssetInput({ title: TRICKY, description: 'Markup in a title shows as text.' }),
        dune: anAssetInput({ title: 'Dune field at noon', tags: ['desert'] }),
      });
      await ingestNamed(t, editor, { flaky: anAssetInput({ title: 'Flaky brand detection' }) });
      await mkdir(OUTPUT, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
      page = await newPage();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    async function newPage(): Promise<Page> {
      const p = await (await browser.newContext()).newPage();
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

    const secret = (key: { authorization: string }) => key.authorization.replace(/^Bearer /, '');
    const shot = (p: Page, name: string) =>
      p.screenshot({ path: fileURLToPath(new URL(`${name}.png`, OUTPUT)), fullPage: true });
    const textOf = async (l: Locator) => {
      await l.waitFor();
      return l.innerText();
    };
    /** The live region's message, polled: it shows the last message until the next one arrives. */
    const status = (p: Page) => expect.poll(() => p.getByRole('status').innerText(), { timeout: 15_000 });

    async function signIn(p: Page, key: { authorization: string }) {
      await p.getByLabel('API key').fill(secret(key));
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('button', { name: 'Sign out' }).waitFor();
    }

    /** Searches from the search page and waits for the results that answer exactly this query. */
    async function search(p: Page, q: string): Promise<Locator> {
      const box = p.getByRole('combobox', { name: 'Search' });
      await box.fill(q);
      await p.getByRole('button', { name: 'Search', exact: true }).click();
      const results = p.getByRole('region', { name: `Results for “${q}”` });
      await results.waitFor();
      return results;
    }
    const titles = (results: Locator) => results.getByRole('heading', { level: 3 }).allInnerTexts();

    async function openSearch(p: Page) {
      await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
      await p.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
    }
    async function openAsset(p: Page, title: string) {
      await openSearch(p);
      await (await search(p, title)).getByRole('link', { name: title, exact: true }).click();
      await p.getByRole('heading', { name: title, level: 1 }).waitFor();
    }
    const asset = async () =>
      (await t.app.inject({ url: `/v1/assets/${ids.kelp}`, headers: editor })).json<AssetBody>();

    it('refuses a wrong key with a clear message, and signs in with a valid one', async () => {
      const res = await page.goto(`${base}/ui`);
      expect(res?.headers()).toMatchObject({
        'content-security-policy': expect.stringContaining("default-src 'self'"),
        'x-content-type-options': 'nosniff',
      });
      await page.getByLabel('API key').fill('not-a-key-at-all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await textOf(page.getByRole('alert'))).toContain('The service did not accept this API key');
      expect(await page.evaluate('sessionStorage.length')).toBe(0);

      await signIn(page, editor);
      await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
      expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([secret(editor)]);
    });

    it('suggests as you type, and picks a suggestion with the keyboard', async () => {
      const box = page.getByRole('combobox', { name: 'Search' });
      await box.pressSequentially('kel');
      const option = page.getByRole('option', { name: new RegExp(`^${KELP}`) });
      await option.waitFor();
      expect(await box.getAttribute('aria-expanded')).toBe('true');
      const index = (await page.getByRole('option').allInnerTexts()).findIndex((o) => o.startsWith(KELP));
      for (let i = 0; i <= index; i++) await box.press('ArrowDown');
      expect(await option.getAttribute('aria-selected')).toBe('true');
      expect(await box.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
      await shot(page, 'search-suggestions');

      await box.press('Enter');
      const results = page.getByRole('region', { name: `Results for “${KELP}”` });
      await results.waitFor();
      expect((await titles(results))[0]).toBe(KELP);
      const link = results.getByRole('link', { name: KELP, exact: true });
      expect(await link.locator('mark').allInnerTexts()).toContain('Kelp');
    });

    it('shows highlights as text, never as markup', async () => {
      const results = await search(page, 'tricks');
      expect(await titles(results)).toEqual([TRICKY]);
      expect(await results.locator('img').count()).toBe(0);
      expect(await results.locator('mark').allInnerTexts()).toEqual(['tricks']);
    });

    it('adds a facet as a filter chip, and removes it', async () => {
      let results = await search(page, 'kelp');
      expect((await titles(results)).sort()).toEqual(['Kelp holdfast survey', TRICKY, KELP].sort());
      await page.getByRole('button', { name: /^Add filter tag: underwater/ }).click();
      results = page.getByRole('region', { name: 'Results for “kelp”, tag: underwater' });
      await results.waitFor();
      expect(await titles(results)).toEqual([KELP]);
      await shot(page, 'search-facets');

      await page.getByRole('button', { name: 'Remove filter tag: underwater' }).click();
      await page.getByRole('region', { name: 'Results for “kelp”' }).waitFor();
      expect(await page.getByRole('list', { name: 'Active filters' }).count()).toBe(0);
    });

    it('links a transcript hit to its moment', async () => {
      const results = await search(page, 'plankton');
      const moment = results.getByRole('link', { name: `at 1:23 in ${KELP}` });
      expect(await moment.getAttribute('href')).toBe(`#/assets/${ids.kelp}?t=83`);
      await moment.click();
      await page.getByRole('heading', { name: KELP, level: 1 }).waitFor();
      expect(await textOf(page.locator('[aria-current="time"]'))).toContain('1:23');
    });

    it('shows a bad query’s problem detail inline', async () => {
      await openSearch(page);
      const box = page.getByRole('combobox', { name: 'Search' });
      await box.fill('"unclosed');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      expect(await textOf(page.getByRole('alert'))).toBe('query has an unclosed quote (")');
      expect(await box.isVisible()).toBe(true);
    });

    it('adds a tag that search then finds, and removes one that search then misses', async () => {
      await openAsset(page, KELP);
      await page.getByLabel('Name').fill('bioluminescence');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await status(page).toMatch(/^Add tag bioluminescence: saved as version \d+\.$/);
      await page.getByRole('button', { name: 'Lock tag bioluminescence' }).waitFor();
      // Each tag says where it comes from: given at ingest, or added by an editor.
      const tags = page.getByRole('list', { name: 'Tags', exact: true });
      expect(await textOf(tags.getByRole('listitem').filter({ hasText: 'bioluminescence' }))).toContain(
        'manual',
      );
      expect(await textOf(tags.getByRole('listitem').filter({ hasText: 'underwater' }))).toContain('given');
      await shot(page, 'asset');

      await openSearch(page);
      expect(await titles(await search(page, 'tag:bioluminescence'))).toEqual([KELP]);

      await openAsset(page, KELP);
      await page.getByRole('button', { name: 'Remove tag underwater' }).click();
      await status(page).toMatch(/^Remove tag underwater: saved/);
      await openSearch(page);
      const results = await search(page, 'tag:underwater');
      expect(await titles(results)).toEqual([]);
      expect(await results.innerText()).toContain('No assets match.');
    });

    it('shows the conflict with a second session’s change, and re-applies mine on top of it', async () => {
      await openAsset(page, KELP);
      const basedOn = (await asset()).version;

      const other = await newPage();
      await other.goto(`${base}/ui/#/assets/${ids.kelp}`);
      await signIn(other, editor);
      await other.getByRole('heading', { name: KELP, level: 1 }).waitFor();
      await other.getByLabel('Name').fill('from-elsewhere');
      await other.getByRole('button', { name: 'Add', exact: true }).click();
      await status(other).toContain(`saved as version ${basedOn + 1}`);
      await other.context().close();

      await page.getByRole('button', { name: 'Lock tag bioluminescence' }).click();
      const dialog = page.getByRole('dialog', { name: 'Someone else changed this asset' });
      await dialog.waitFor();
      const text = await dialog.innerText();
      expect(text).toContain(`based on version ${basedOn}, but the asset is now at version ${basedOn + 1}`);
      expect(text).toMatch(/enrichment\.tags\s.*from-elsewhere/);
      const reapply = dialog.getByRole('button', { name: 'Reload and re-apply my change' });
      // showModal() moved focus into the dialog, onto its first choice.
      expect(await page.evaluate('document.activeElement.textContent')).toBe(await reapply.innerText());
      await shot(page, 'conflict');

      await reapply.click();
      await dialog.waitFor({ state: 'hidden' });
      await status(page).toBe(`Lock tag bioluminescence: saved as version ${basedOn + 2}.`);
      await page.getByRole('button', { name: 'Unlock tag bioluminescence' }).waitFor();
      await page.getByRole('button', { name: 'Remove tag from-elsewhere' }).waitFor();
      expect(
        await textOf(page.getByRole('row', { name: new RegExp(`^${basedOn + 2} \\(current\\)`) })),
      ).toContain(`conflict_resolved: tag edit first based on version ${basedOn}`);
    });

    it('discards my change when I choose so, showing the other one', async () => {
      const basedOn = (await asset()).version;
      const direct = await t.app.inject({
        method: 'PATCH',
        url: `/v1/assets/${ids.kelp}/tags?wait=true`,
        headers: { ...editor, 'if-match': `"${basedOn}"` },
        payload: { add: [{ name: 'direct-edit' }] },
      });
      expect(direct.statusCode, direct.body).toBe(200);

      await page.getByRole('button', { name: 'Remove tag from-elsewhere' }).click();
      const dialog = page.getByRole('dialog', { name: 'Someone else changed this asset' });
      await dialog.getByRole('button', { name: 'Discard mine' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await status(page).toBe(`Your change was discarded; showing version ${basedOn + 1}.`);
      await page.getByRole('button', { name: 'Remove tag direct-edit' }).waitFor();
      expect(await page.getByRole('button', { name: 'Remove tag from-elsewhere' }).count()).toBe(1);
      expect((await asset()).enrichment.tags.map((x) => x.name)).toContain('from-elsewhere');
    });

    it('shows what a version changed, rolls back before the tag edits, and search follows', async () => {
      const versions = (
        await t.app.inject({ url: `/v1/assets/${ids.kelp}/versions?limit=100`, headers: editor })
      ).json<{ items: { version: number; changeKind: string }[] }>().items;
      const enriched = versions.find((v) => v.changeKind === 'ENRICHMENT')!.version;
      const current = versions[0]!.version;

      await page.getByRole('button', { name: `Changes in version ${enriched + 1}` }).click();
      const diff = page.getByRole('table', {
        name: `Changes in version ${enriched + 1} (from version ${enriched})`,
      });
      expect(await textOf(diff.getByRole('row', { name: /^enrichment\.tags/ }))).toContain('bioluminescence');

      // The history names the key and says what each edit changed, not "tag edit".
      const firstEdit = page.getByRole('row', { name: new RegExp(`^${enriched + 1} `) });
      expect(await textOf(firstEdit)).toContain("edit: added tag 'bioluminescence'");
      expect(await textOf(firstEdit)).toContain('test-EDITOR');
      expect(await firstEdit.innerText()).not.toContain('key:');

      // Rolling back asks first, saying how much it discards and what changes; Escape cancels.
      const rollBack = page.getByRole('button', { name: `Roll back to version ${enriched}` });
      await rollBack.click();
      const confirm = page.getByRole('dialog', { name: `Roll back to version ${enriched}?` });
      await confirm.waitFor();
      await expect.poll(() => confirm.innerText()).toContain('What changes:');
      const said = await confirm.innerText();
      expect(said).toContain(`discards the ${current - enriched} later versions`);
      expect(said).toMatch(/removed tags? .*'bioluminescence'/);
      // Focus starts on Cancel, and Tab stays inside the dialog.
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Cancel');
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate('!!document.activeElement.closest("dialog")')).toBe(true);
      }
      await shot(page, 'rollback-confirm');
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'hidden' });
      expect(await page.evaluate('document.activeElement.textContent')).toBe(await rollBack.textContent());
      expect((await asset()).version).toBe(current);

      await rollBack.click();
      await confirm.getByRole('button', { name: `Roll back to version ${enriched}` }).click();
      await status(page).toBe(`Restored version ${enriched} as version ${current + 1}.`);
      await page.getByRole('button', { name: 'Remove tag underwater' }).waitFor();
      expect(await page.getByRole('button', { name: /tag bioluminescence$/ }).count()).toBe(0);
      await shot(page, 'rollback');

      await openSearch(page);
      expect(await titles(await search(page, 'tag:bioluminescence'))).toEqual([]);
      expect(await titles(await search(page, 'tag:underwater'))).toEqual([KELP]);
    });

    it('lists jobs with their progress; retrying a failed one needs the permission', async () => {
      await page.getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('heading', { name: 'Processing jobs', level: 1 }).waitFor();
      const failed = page.getByRole('row').filter({ hasText: 'FAILED' });
      expect(await textOf(failed)).toContain('gazetteer service unavailable');
      expect(await page.getByRole('progressbar').count()).toBeGreaterThanOrEqual(5);

      // An editor may not retry jobs: the API's 403 is shown, not swallowed.
      await failed.getByRole('button', { name: /^Retry job/ }).click();
      expect(await textOf(page.getByRole('alert'))).toContain('lacks the jobs:manage permission');
      await shot(page, 'jobs');

      await page.getByRole('button', { name: 'Sign out' }).click();
      expect(await textOf(page.getByRole('status'))).toBe('You are signed out.');
      expect(await page.evaluate('sessionStorage.length')).toBe(0);

      await signIn(page, await t.keyFor('default', 'CONTENT_MANAGER'));
      await page.getByRole('link', { name: 'Jobs' }).click();
      const jobId = (await failed.getByRole('rowheader').innerText()).split(' ').pop()!;
      await failed.getByRole('button', { name: `Retry job ${jobId}` }).click();
      await status(page).toBe(`Job ${jobId} queued for retry.`);
      // The page refreshes itself while a job runs.
      const row = page.getByRole('row').filter({ hasText: jobId });
      await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain('COMPLETED');
    });

    it('raised no script errors, CSP violations or dialogs on any page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
  60_000,
);
