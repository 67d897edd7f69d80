import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
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

const REEF = 'Coral reef at dawn';
const KELP = 'Kelp canopy survey';
const DUNES = 'Desert dunes at noon';

interface AssetBody {
  tags: string[];
  enrichment: { tags: { name: string }[] } | null;
}

/**
 * The entity pages, the graph view and tag management at /ui, driven in Chromium through roles and
 * labels: browsing from a tag to a speaker to the graph, a rename and a merge as an editor, the
 * read-only view of a key without tags:write, a phone-width screen, and the keyboard alone.
 */
describe.skipIf(!hasChromium)(
  'entity pages, graph view and tag management in Chromium',
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    let base: string;
    let editor: { authorization: string };
    let ids: Record<'reef' | 'kelp' | 'dunes', string>;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      t = await createTestApp();
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      editor = await t.keyFor('default', 'EDITOR');
      ids = await ingestNamed(t, editor, {
        reef: anAssetInput({ title: REEF, tags: ['ocean', 'reef'], speakers: ['Ada Marlow'] }),
        kelp: anAssetInput({ title: KELP, tags: ['ocean', 'kelp'], speakers: ['Ada Marlow'] }),
        dunes: anAssetInput({ title: DUNES, tags: ['desert'], speakers: ['Bo Tran'] }),
      });
      await mkdir(OUTPUT, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
      page = await newPage();
      await page.goto(`${base}/ui/#/tags`);
      await signIn(page, editor);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
      const p = await (await browser.newContext(viewport ? { viewport } : {})).newPage();
      p.setDefaultTimeout(15_000);
      p.on('pageerror', (err) => pageErrors.push(err.message));
      p.on('console', (msg) => {
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
          pageErrors.push(msg.text());
      });
      return p;
    }

    const secret = (key: { authorization: string }) => key.authorization.replace(/^Bearer /, '');
    const shot = (p: Page, name: string) =>
      p.screenshot({ path: fileURLToPath(new URL(`${name}.png`, OUTPUT)), fullPage: true });
    const status = (p: Page) => expect.poll(() => p.getByRole('status').innerText(), { timeout: 20_000 });
    const heading = (p: Page, name: string) => p.getByRole('heading', { name, level: 1 }).waitFor();
    const tagsOf = async (id: string) => {
      const a = (await t.app.inject({ url: `/v1/assets/${id}`, headers: editor })).json<AssetBody>();
      return (a.enrichment?.tags.map((x) => x.name) ?? a.tags).sort();
    };
    /** The table row whose header is exactly this name. */
    const rowOf = (p: Page, name: string) =>
      p
        .getByRole('table')
        .getByRole('row')
        .filter({ has: p.getByRole('rowheader', { name, exact: true }) });

    async function signIn(p: Page, key: { authorization: string }) {
      await p.getByLabel('API key').fill(secret(key));
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('button', { name: 'Sign out' }).waitFor();
    }

    const FOCUSED_LABEL =
      "(document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent)?.trim()";
    /** Presses Tab until the focused element's text or label is `name`: the keyboard's way there. */
    async function tabTo(p: Page, name: string) {
      for (let i = 0; i < 60; i++) {
        await p.keyboard.press('Tab');
        const focused = await p.evaluate<string | null>(FOCUSED_LABEL);
        if (focused === name) return;
      }
      throw new Error(`Tab never reached “${name}”`);
    }

    async function openTags(p: Page) {
      await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tags' }).click();
      await heading(p, 'Tags and names');
    }

    it('lists tags with their asset counts, most used first, and filters them by prefix', async () => {
      await openTags(page);
      const table = page.getByRole('table', { name: 'Tags, most used first' });
      await table.waitFor();
      await expect.poll(() => rowOf(page, 'ocean').getByRole('cell').allInnerTexts()).toContain('2');
      const names = await table.getByRole('rowheader').allInnerTexts();
      // Enrichment adds names of its own; the given ones are all there, the most used first.
      expect(names[0]).toBe('ocean');
      expect(names).toEqual(expect.arrayContaining(['reef', 'kelp', 'desert']));

      await page.getByLabel('Name starts with').fill('de');
      await page.getByRole('button', { name: 'Filter' }).click();
      const filtered = page.getByRole('table', { name: 'Tags starting with “de”, most used first' });
      await filtered.waitFor();
      const desert = await filtered.getByRole('rowheader').allInnerTexts();
      expect(desert).toContain('desert');
      expect(desert).not.toContain('ocean');
      expect(page.url()).toContain('#/tags?type=TAG&q=de');

      await page.getByLabel('Type').selectOption('SPEAKER');
      const speakers = page.getByRole('table', { name: 'Speakers, most used first' });
      await speakers.waitFor();
      await expect
        .poll(() => speakers.getByRole('rowheader').allInnerTexts())
        .toEqual(['Ada Marlow', 'Bo Tran']);
      await shot(page, 'entities-tags');
    });

    it('shows an entity page with its assets and the names it appears with, and links on to them', async () => {
      await page.goto(`${base}/ui/#/entities/tag/ocean`);
      await heading(page, 'ocean');
      // The heading shows the name from the address at once; the count follows the API's answer.
      await expect.poll(() => page.locator('.entity-summary').textContent()).toBe('tag · 2 assets');
      const assets = page.getByRole('region', { name: 'Assets' });
      await expect
        .poll(async () => (await assets.getByRole('listitem').getByRole('link').allInnerTexts()).sort())
        .toEqual([KELP, REEF].sort());
      // The names it appears with come from a request of their own, answered after the assets.
      const speakers = page.getByRole('list', { name: 'Speakers' });
      await expect
        .poll(() => speakers.getByRole('listitem').allTextContents())
        .toEqual(['Ada Marlow 2 shared assets']);
      const tags = page.getByRole('list', { name: 'Tags' });
      await expect
        .poll(() => tags.getByRole('link').allInnerTexts())
        .toEqual(expect.arrayContaining(['kelp', 'reef']));
      await expect.poll(() => tags.getByRole('link').allInnerTexts()).not.toContain('desert');
      await shot(page, 'entities-entity');

      await speakers.getByRole('link', { name: 'Ada Marlow' }).click();
      await heading(page, 'Ada Marlow');
      expect(page.url()).toContain('#/entities/speaker/Ada%20Marlow');
      await assets.getByRole('link', { name: REEF }).click();
      await heading(page, REEF);
      expect(page.url()).toContain(`#/assets/${ids.reef}`);
    });

    it('says plainly when no asset has the name', async () => {
      await page.goto(`${base}/ui/#/entities/speaker/Nobody%20Here`);
      await heading(page, 'Nobody Here');
      expect(await page.getByRole('alert').innerText()).toContain('No asset has the speaker “Nobody Here”');
    });

    it('draws the graph around an entity and an asset, and moves to a node clicked in the drawing', async () => {
      await page.goto(`${base}/ui/#/entities/speaker/Ada%20Marlow`);
      await heading(page, 'Ada Marlow');
      await page.getByRole('link', { name: 'Graph around this speaker' }).click();
      await heading(page, 'Graph around speaker Ada Marlow');
      const list = page.getByRole('list', { name: 'Nodes and links' });
      await list.getByRole('listitem').first().waitFor();
      const listed = await list.getByRole('listitem').allInnerTexts();
      expect(listed[0]).toMatch(/^Ada Marlow speaker — linked to .*Coral reef at dawn \(speaker\)/);
      expect(listed.some((l) => l.startsWith(`${KELP} asset`))).toBe(true);
      expect(listed.some((l) => l.startsWith(DUNES))).toBe(false);
      // The drawing holds the same nodes, each a link, and labels the centre's links.
      const drawing = page.getByTestId('graph-drawing');
      await expect.poll(() => drawing.locator('a.node').count()).toBe(listed.length);
      await expect
        .poll(() => drawing.locator('.edge-label').allTextContents())
        .toEqual(['speaker', 'speaker']);
      await shot(page, 'entities-graph-entity');

      await drawing.locator(`a.node[data-node="${REEF}"]`).click();
      await heading(page, `Graph around ${REEF}`);
      expect(page.url()).toContain(`#/graph/assets/${ids.reef}`);
      const around = await page
        .getByRole('list', { name: 'Nodes and links' })
        .getByRole('link')
        .allInnerTexts();
      // The API's neighbourhood: the asset's names, and the asset that shares them.
      expect(around).toEqual(expect.arrayContaining([REEF, 'Ada Marlow', 'ocean', 'reef', KELP]));
      await shot(page, 'entities-graph-asset');

      await page.getByRole('link', { name: 'Graph around tag ocean', exact: true }).click();
      await heading(page, 'Graph around tag ocean');
      await page.getByRole('link', { name: 'Open the tag page' }).click();
      await heading(page, 'ocean');
    });

    it('renames a tag through the UI: preview, confirmation, the job’s progress, and the new name everywhere', async () => {
      await page.goto(`${base}/ui/#/tags`);
      await heading(page, 'Tags and names');
      await page.getByRole('button', { name: 'Rename ocean', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Rename tag “ocean”' });
      await dialog.waitFor();
      await expect.poll(() => dialog.getByText('Type a different name.').count()).toBe(1);
      await dialog.getByLabel('New name').fill('sea');
      await expect.poll(() => dialog.getByText('2 assets change.').count()).toBe(1);
      await shot(page, 'entities-rename');
      await dialog.getByRole('button', { name: 'Rename on 2 assets' }).click();
      await dialog.waitFor({ state: 'hidden' });

      await status(page).toBe('Rename tag ocean to sea: done, 2 assets changed.');
      const progress = page.getByRole('region', { name: 'Rename tag ocean to sea' });
      expect(await progress.innerText()).toContain('completed');
      await expect.poll(() => progress.getByRole('progressbar').getAttribute('value')).toBe('100');
      await expect.poll(() => rowOf(page, 'sea').count()).toBe(1);
      await expect
        .poll(() => page.getByRole('table').getByRole('rowheader').allInnerTexts())
        .not.toContain('ocean');
      expect(await tagsOf(ids.reef)).toContain('sea');
      expect(await tagsOf(ids.kelp)).not.toContain('ocean');
    });

    it('merges selected tags into one, counting only the assets that change', async () => {
      await page.getByRole('checkbox', { name: 'Select kelp for merge' }).check();
      await page.getByRole('checkbox', { name: 'Select reef for merge' }).check();
      await page.getByRole('button', { name: 'Merge selected…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Merge 2 tag names' });
      await dialog.getByLabel('Merge into').fill('reef');
      await expect.poll(() => dialog.getByText('1 asset changes.').count()).toBe(1);
      await dialog.getByRole('button', { name: 'Merge on 1 asset' }).click();
      await status(page).toMatch(/^Merge kelp, reef into reef: done/);
      const kelp = await tagsOf(ids.kelp);
      expect(kelp).toEqual(expect.arrayContaining(['reef', 'sea']));
      expect(kelp).not.toContain('kelp');
    });

    it('cancels a rename with Escape, and renames with the keyboard alone', async () => {
      await page.goto(`${base}/ui/#/tags?type=TAG&q=desert`);
      await page.getByRole('table', { name: /starting with “desert”/ }).waitFor();
      await page.getByRole('heading', { level: 1 }).focus();
      await tabTo(page, 'Rename desert');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Rename tag “desert”' });
      await dialog.waitFor();
      // showModal() moved focus into the dialog, onto the name.
      expect(await page.evaluate('document.activeElement?.id')).toBe('change-into');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await tagsOf(ids.dunes)).toContain('desert');
      // Closing gives the focus back to the button that opened the dialog: Enter opens it again.
      await expect.poll(() => page.evaluate<string | null>(FOCUSED_LABEL)).toBe('Rename desert');

      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type('sand');
      await page.keyboard.press('Enter');
      await status(page).toBe('Rename tag desert to sand: done, 1 asset changed.');
      expect(await tagsOf(ids.dunes)).toContain('sand');
      expect(await tagsOf(ids.dunes)).not.toContain('desert');
    });

    it('walks the graph with the keyboard through its list', async () => {
      await page.goto(`${base}/ui/#/graph/entities/speaker/Ada%20Marlow`);
      await heading(page, 'Graph around speaker Ada Marlow');
      // The drawing takes no focus: the list is the keyboard's way through the graph.
      await expect.poll(() => page.getByTestId('graph-drawing').locator('[tabindex="0"]').count()).toBe(0);
      await tabTo(page, `Graph around ${KELP}`);
      await page.keyboard.press('Enter');
      await heading(page, `Graph around ${KELP}`);
      expect(await page.evaluate('document.activeElement?.tagName')).toBe('H1');
    });

    it('shows a key without tags:write the names but no way to change them', async () => {
      const viewer = await newPage();
      await viewer.goto(`${base}/ui/#/tags`);
      await signIn(viewer, await t.keyFor('default', 'VIEWER'));
      await heading(viewer, 'Tags and names');
      await viewer.getByText('This API key may not rename or merge names').waitFor();
      await expect.poll(() => viewer.getByRole('table').getByRole('rowheader').count()).toBeGreaterThan(0);
      await expect.poll(() => viewer.getByRole('button', { name: /^Rename/ }).count()).toBe(0);
      await expect.poll(() => viewer.getByRole('checkbox').count()).toBe(0);
      await viewer.context().close();
    });

    it('fits a phone’s width on every new screen', async () => {
      const phone = await newPage({ width: 375, height: 740 });
      await phone.goto(`${base}/ui/#/tags`);
      await signIn(phone, editor);
      const overflow = () => phone.evaluate<number>('document.documentElement.scrollWidth - innerWidth');
      const screens: [string, string, string][] = [
        ['#/tags', 'Tags and names', 'phone-tags'],
        ['#/entities/speaker/Ada%20Marlow', 'Ada Marlow', 'phone-entity'],
        ['#/graph/entities/speaker/Ada%20Marlow', 'Graph around speaker Ada Marlow', 'phone-graph'],
      ];
      for (const [hash, title, name] of screens) {
        await phone.goto(`${base}/ui/${hash}`);
        await heading(phone, title);
        expect(await overflow(), hash).toBeLessThanOrEqual(0);
        await shot(phone, `entities-${name}`);
      }
      await phone.goto(`${base}/ui/#/tags`);
      await phone.getByRole('button', { name: 'Rename sea', exact: true }).click();
      const dialog: Locator = phone.getByRole('dialog', { name: 'Rename tag “sea”' });
      const box = await dialog.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
      await phone.context().close();
    });

    it('raised no script errors or CSP violations on any page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
  60_000,
);
