import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Locator, type Page, type Route } from 'playwright-core';
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
const HOLDFAST = 'Kelp holdfast survey';
const DUNE = 'Dune field at noon';
const TALK_PAGE = 'https://www.ted.com/talks/kelp_forests_at_night';

/** Another origin, as a source system's media storage is; the pages answer it from the test. */
const MEDIA = 'https://media.example.test';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
/** Two minutes of 8-bit silence: media a browser can load and seek, past the moment at 1:23. */
function silentWav(seconds: number, rate = 8000): Buffer {
  const size = seconds * rate;
  const b = Buffer.alloc(44 + size, 128);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + size, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate, 28); // bytes a second
  b.writeUInt16LE(1, 32);
  b.writeUInt16LE(8, 34);
  b.write('data', 36);
  b.writeUInt32LE(size, 40);
  return b;
}
const WAV = silentWav(120);

/** A media server's answer: byte ranges, which a browser needs to seek. */
function mediaResponse(body: Buffer, range: string | undefined) {
  const headers = { 'accept-ranges': 'bytes' };
  const m = range && /^bytes=(\d+)-(\d*)$/.exec(range);
  if (!m) return { status: 200, contentType: 'audio/wav', headers, body };
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
  return {
    status: 206,
    contentType: 'audio/wav',
    headers: { ...headers, 'content-range': `bytes ${start}-${end}/${body.length}` },
    body: body.subarray(start, end + 1),
  };
}

/** Requests to the search API, for route interception. */
const searchCall = (q?: string) => (url: URL) =>
  url.pathname === '/v1/search' && (q === undefined || url.searchParams.get('q') === q);
/** Lets a request go on after `ms`; an aborted one is no longer there to continue. */
const slowly = (ms: number) => async (route: Route) => {
  await sleep(ms);
  await route.continue().catch(() => {});
};

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
          sourceSystem: 'ted',
          sourceId: TALK_PAGE,
          technicalMetadata: {
            durationSeconds: 120,
            mediaUrl: `${MEDIA}/kelp.wav`,
            thumbnailUrl: `${MEDIA}/kelp.png`,
          },
          tags: ['underwater'],
          speakers: ['Mara Quill'],
          transcript:
            '[00:00:05] Mara Quill: We drop into the forest after sunset.\n' +
            '[00:01:23] Mara Quill: The water glows with plankton all around us.',
        }),
        holdfast: anAssetInput({ title: HOLDFAST, tags: ['survey'], speakers: ['Mara Quill'] }),
        tricky: anAssetInput({ title: TRICKY, description: 'Markup in a title shows as text.' }),
        dune: anAssetInput({ title: DUNE, tags: ['desert'] }),
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

    async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
      const p = await (await browser.newContext(viewport ? { viewport } : {})).newPage();
      p.setDefaultTimeout(15_000);
      await p.route(`${MEDIA}/**`, (route) =>
        route.request().url().endsWith('.png')
          ? route.fulfill({ contentType: 'image/png', body: PNG })
          : route.fulfill(mediaResponse(WAV, route.request().headers().range)),
      );
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
      // The answer, not the region: the same search run again shows the region it replaces at first.
      const answered = p.waitForResponse((res) => searchCall(q)(new URL(res.url())));
      await p.getByRole('button', { name: 'Search', exact: true }).click();
      await answered;
      const results = p.getByRole('region', { name: `Results for “${q}”` });
      await results.waitFor();
      return results;
    }
    const titles = (results: Locator) => results.getByRole('heading', { level: 3 }).allInnerTexts();
    /** Whether the page scrolls sideways: nothing may be wider than the viewport. */
    const overflowX = (p: Page) =>
      p.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    const isFocused = (l: Locator) =>
      l.evaluate(
        (el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement,
      );
    /** Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would. */
    async function tabTo(p: Page, target: Locator, key = 'Tab', max = 60) {
      for (let i = 0; i < max; i++) {
        if (await isFocused(target).catch(() => false)) return;
        await p.keyboard.press(key);
      }
      throw new Error(`${key} never reached ${target.toString()}`);
    }

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
      await expect.poll(() => box.getAttribute('aria-expanded')).toBe('true');
      // Down until it is the active one (the list wraps): the answers for “ke” and “kel” may still be
      // replacing the list, so where the option sits cannot be counted beforehand.
      await expect
        .poll(async () => {
          if ((await option.getAttribute('aria-selected')) === 'true') return true;
          await box.press('ArrowDown');
          return false;
        })
        .toBe(true);
      await expect
        .poll(() => box.getAttribute('aria-activedescendant'))
        .toBe(await option.getAttribute('id'));
      await shot(page, 'search-suggestions');

      await box.press('Enter');
      const results = page.getByRole('region', { name: `Results for “${KELP}”` });
      await results.waitFor();
      await expect.poll(async () => (await titles(results))[0]).toBe(KELP);
      const link = results.getByRole('link', { name: KELP, exact: true });
      await expect.poll(() => link.locator('mark').allInnerTexts()).toContain('Kelp');
    });

    it('shows highlights as text, never as markup', async () => {
      const results = await search(page, 'tricks');
      await expect.poll(() => titles(results)).toEqual([TRICKY]);
      await expect.poll(() => results.locator('img').count()).toBe(0);
      await expect.poll(() => results.locator('mark').allInnerTexts()).toEqual(['tricks']);
    });

    it('adds a facet as a filter chip named for people, with counts, and removes it', async () => {
      let results = await search(page, 'kelp');
      await expect.poll(async () => (await titles(results)).sort()).toEqual([HOLDFAST, TRICKY, KELP].sort());
      const refine = page.getByRole('complementary', { name: 'Refine' });
      const offered = async () =>
        (await refine.getByRole('button', { name: /^Add filter / }).allInnerTexts()).map((o) =>
          o.replace(/\s+/g, ' '),
        );
      await expect
        .poll(offered)
        .toEqual(
          expect.arrayContaining([
            'Add filter Type: Video 3 assets',
            'Add filter Source: TED 1 asset',
            'Add filter Source: API 2 assets',
            'Add filter Tag: underwater 1 asset',
          ]),
        );
      await page.getByRole('button', { name: 'Add filter Tag: underwater 1 asset' }).click();
      results = page.getByRole('region', { name: 'Results for “kelp”, Tag: underwater' });
      await results.waitFor();
      await expect.poll(() => titles(results)).toEqual([KELP]);
      await page.getByRole('button', { name: /^Add filter Source: TED/ }).click();
      results = page.getByRole('region', { name: 'Results for “kelp”, Tag: underwater, Source: TED' });
      await results.waitFor();
      const chips = page.getByRole('list', { name: 'Active filters' }).getByRole('button');
      await expect
        .poll(async () => (await chips.allInnerTexts()).map((c) => c.replace(/\s+/g, ' ')))
        .toEqual(['Remove filter Tag: underwater ×', 'Remove filter Source: TED ×']);
      await shot(page, 'search-facets');

      await page.getByRole('button', { name: 'Remove filter Source: TED' }).click();
      await page.getByRole('region', { name: 'Results for “kelp”, Tag: underwater' }).waitFor();
      await page.getByRole('button', { name: 'Remove filter Tag: underwater' }).click();
      await page.getByRole('region', { name: 'Results for “kelp”' }).waitFor();
      await expect.poll(() => page.getByRole('list', { name: 'Active filters' }).count()).toBe(0);
    });

    it('shows the total, and pages with Load more saying how many of it are shown', async () => {
      // Two hits a page, so three matches take two pages; a slow second page shows its pending state.
      // The total is the API's when it sends one, else the count it would send.
      await page.route(searchCall('kelp'), async (route) => {
        const url = new URL(route.request().url());
        url.searchParams.set('limit', '2');
        if (url.searchParams.has('cursor')) await sleep(800);
        const res = await route.fetch({ url: url.toString() }).catch(() => null);
        if (!res) return;
        const body = (await res.json()) as { total?: unknown };
        body.total ??= { value: 3, exact: true };
        await route.fulfill({ response: res, json: body });
      });
      try {
        const results = await search(page, 'kelp');
        expect(await textOf(results.locator('.total'))).toBe('3 results');
        await status(page).toBe('3 results');
        await expect.poll(() => titles(results)).toHaveLength(2);
        const more = results.getByRole('button', { name: 'Load more' });
        expect(
          await more.getAttribute('aria-describedby').then((id) => page.locator(`#${id}`).innerText()),
        ).toBe('Showing 2 of 3');
        await more.focus();
        await page.keyboard.press('Enter');
        const pending = results.getByRole('button', { name: 'Loading more…' });
        await pending.waitFor();
        await expect.poll(() => pending.isDisabled()).toBe(true);
        await shot(page, 'search-paging');
        await expect.poll(() => titles(results)).toHaveLength(3);
        await expect
          .poll(() => results.getByRole('button', { name: /Load more|Loading more/ }).count())
          .toBe(0);
        // The keyboard carries on from the first hit the page added.
        const third = (await titles(results))[2]!;
        expect(await page.evaluate('document.activeElement.textContent')).toBe(third);
      } finally {
        await page.unroute(searchCall('kelp'));
      }
    });

    it('says "about" when the API estimated the total', async () => {
      await page.route(searchCall('dune'), async (route) => {
        const res = await route.fetch();
        const body = (await res.json()) as object;
        await route.fulfill({ response: res, json: { ...body, total: { value: 12000, exact: false } } });
      });
      try {
        const results = await search(page, 'dune');
        expect(await textOf(results.locator('.total'))).toBe('about 12,000 results');
        await status(page).toBe('about 12,000 results');
      } finally {
        await page.unroute(searchCall('dune'));
      }
    });

    it('shows a search as loading, not the last one’s hits, and a slow answer never replaces a newer one', async () => {
      const dune = await search(page, 'dune');
      await expect.poll(() => titles(dune)).toEqual([DUNE]);
      await page.route(searchCall('kelp'), slowly(1_500));
      await page.route(searchCall('holdfast'), slowly(2_000));
      try {
        await page.getByRole('combobox', { name: 'Search' }).fill('kelp');
        await page.keyboard.press('Enter');
        const loading = page.getByRole('region', { name: 'Searching for “kelp”' });
        await loading.waitFor();
        await expect.poll(() => loading.getAttribute('aria-busy')).toBe('true');
        expect(await loading.innerText()).toContain('Searching…');
        // The last search's hits and count are gone at once, not left under the new query.
        await expect.poll(() => page.getByRole('link', { name: DUNE }).count()).toBe(0);
        expect(await page.getByRole('status').innerText()).toBe('');
        await shot(page, 'search-loading');
        const results = page.getByRole('region', { name: 'Results for “kelp”' });
        await results.waitFor();
        await expect.poll(() => results.getAttribute('aria-busy')).toBe('false');
        await expect.poll(() => titles(results)).toHaveLength(3);

        // A slow search overtaken by a fast one: the slow answer, when it comes, changes nothing.
        await page.getByRole('combobox', { name: 'Search' }).fill('holdfast');
        await page.keyboard.press('Enter');
        await page.getByRole('region', { name: 'Searching for “holdfast”' }).waitFor();
        const dune = await search(page, 'dune');
        await expect.poll(() => titles(dune)).toEqual([DUNE]);
        await sleep(2_500);
        const shown = page.getByRole('region', { name: 'Results for “dune”' });
        await expect.poll(() => titles(shown)).toEqual([DUNE]);
        await expect.poll(() => page.getByRole('combobox', { name: 'Search' }).inputValue()).toBe('dune');
      } finally {
        await page.unroute(searchCall('kelp'));
        await page.unroute(searchCall('holdfast'));
      }
    });

    it('links a transcript hit to its moment', async () => {
      const results = await search(page, 'plankton');
      const moment = results.getByRole('link', { name: `at 1:23 in ${KELP}` });
      await expect.poll(() => moment.getAttribute('href')).toBe(`#/assets/${ids.kelp}?t=83`);
      await moment.click();
      await page.getByRole('heading', { name: KELP, level: 1 }).waitFor();
      expect(await textOf(page.locator('[aria-current="time"]'))).toContain('1:23');
      // The player starts at the moment, and another moment seeks it.
      await expect
        .poll(() => page.evaluate<number>('document.querySelector("video").readyState'))
        .toBeGreaterThan(0);
      await expect
        .poll(() => page.evaluate<number>('Math.round(document.querySelector("video").currentTime)'))
        .toBe(83);
      await page
        .getByRole('region', { name: 'Moments' })
        .getByRole('link', { name: 'Play from 0:05' })
        .click();
      await expect
        .poll(() => page.evaluate<number>('Math.round(document.querySelector("video").currentTime)'))
        .toBe(5);
      expect(await page.evaluate('document.querySelector("video").error')).toBeNull();
    });

    it('shows the asset’s player with its thumbnail, links its source, and a placeholder when it has no media', async () => {
      const player = page.getByRole('figure').locator('video');
      await expect.poll(() => player.getAttribute('src')).toBe(`${MEDIA}/kelp.wav`);
      await expect.poll(() => player.getAttribute('poster')).toBe(`${MEDIA}/kelp.png`);
      await expect.poll(() => player.getAttribute('aria-label')).toBe(`Video: ${KELP}`);
      await expect.poll(() => player.getAttribute('controls')).not.toBeNull();
      const source = page.getByRole('link', { name: `${TALK_PAGE} (opens in a new tab)` });
      await expect.poll(() => source.getAttribute('href')).toBe(TALK_PAGE);
      await expect.poll(() => source.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await textOf(page.locator('.metadata'))).toMatch(/Source\s+TED ·/);
      // The URLs show as the player, not as rows of metadata.
      expect(await page.locator('.metadata').innerText()).not.toContain('mediaUrl');
      await shot(page, 'asset-media');

      await page.getByRole('link', { name: 'Back to results' }).click();
      await (await search(page, 'holdfast')).getByRole('link', { name: HOLDFAST }).click();
      await page.getByRole('heading', { name: HOLDFAST, level: 1 }).waitFor();
      await page.getByRole('img', { name: 'No preview for this video' }).waitFor();
      await expect.poll(() => page.locator('video, audio').count()).toBe(0);
      expect(await page.locator('.metadata').innerText()).toMatch(/Source\s+API\n/);
    });

    it('shows a bad query’s problem detail inline, and nothing of the last search', async () => {
      await openSearch(page);
      await search(page, 'kelp');
      await status(page).toMatch(/^3 results?$/);
      const box = page.getByRole('combobox', { name: 'Search' });
      // Text is read leniently (an unclosed quote is a word); a query past a hard limit is refused.
      await box.fill('x '.repeat(513));
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      expect(await textOf(page.getByRole('alert'))).toBe(
        'query has more than 512 terms (limit maxClauses: 512)',
      );
      await expect.poll(() => box.isVisible()).toBe(true);
      expect(await page.getByRole('status').innerText()).toBe('');
      await expect.poll(() => page.getByRole('region', { name: /^Results for/ }).count()).toBe(0);
      await expect.poll(() => page.getByRole('complementary', { name: 'Refine' }).count()).toBe(0);
      expect(await page.locator('main').innerText()).not.toMatch(/\d+\+? results?/);
      await shot(page, 'search-error');
    });

    it('adds a tag that search then finds, and removes one that search then misses', async () => {
      await openAsset(page, KELP);
      // A slow save shows that it is saving.
      const tagsCall = (url: URL) => url.pathname === `/v1/assets/${ids.kelp}/tags`;
      await page.route(tagsCall, slowly(800));
      await page.getByLabel('Name').fill('bioluminescence');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      const saving = page.getByText('Saving: Add tag bioluminescence…');
      await saving.waitFor();
      await expect.poll(() => page.locator('article.asset').getAttribute('aria-busy')).toBe('true');
      await status(page).toMatch(/^Add tag bioluminescence: saved as version \d+\.$/);
      await page.unroute(tagsCall);
      await expect.poll(() => saving.count()).toBe(0);
      await expect.poll(() => page.locator('article.asset').getAttribute('aria-busy')).toBe('false');
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
      await expect.poll(() => titles(results)).toEqual([]);
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
      // Tags read as tags, not as the stored enrichment.tags (docs/curation.md, the tag model).
      expect(text).toMatch(/Tags\s+added tag 'from-elsewhere'/);
      expect(text).not.toContain('enrichment.tags');
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
      await expect
        .poll(() => page.getByRole('button', { name: 'Remove tag from-elsewhere' }).count())
        .toBe(1);
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
      expect(await textOf(diff.getByRole('row', { name: /^Tags/ }))).toMatch(
        /^Tags\s+added tag 'bioluminescence'$/,
      );
      expect(await diff.innerText()).not.toContain('enrichment.tags');

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
      // The history gives the focus back in an effect after the dialog closed: polled, as a loaded
      // machine may read it between the two (this read once failed there).
      const label = await rollBack.textContent();
      await expect.poll(() => page.evaluate('document.activeElement.textContent')).toBe(label);
      expect((await asset()).version).toBe(current);

      await rollBack.click();
      await confirm.getByRole('button', { name: `Roll back to version ${enriched}` }).click();
      await status(page).toBe(`Restored version ${enriched} as version ${current + 1}.`);
      await page.getByRole('button', { name: 'Remove tag underwater' }).waitFor();
      await expect.poll(() => page.getByRole('button', { name: /tag bioluminescence$/ }).count()).toBe(0);
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
      await expect.poll(() => page.getByRole('progressbar').count()).toBeGreaterThanOrEqual(5);

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

    it('fits a phone: search and asset pages at 375 pixels wide scroll only downwards', async () => {
      const phone = await newPage({ width: 375, height: 812 });
      try {
        await phone.goto(`${base}/ui/#/search?q=kelp&tag=underwater`);
        await signIn(phone, editor);
        const results = phone.getByRole('region', { name: 'Results for “kelp”, Tag: underwater' });
        await results.waitFor();
        expect(await overflowX(phone)).toBe(0);
        // The facets fold away on a phone, so the results come first; the summary opens them.
        const addTag = phone.getByRole('button', { name: /^Add filter Tag: survey/ });
        await expect.poll(() => addTag.isVisible()).toBe(false);
        await shot(phone, 'phone-search');
        await phone.getByText('Refine').click();
        await addTag.waitFor();
        expect(await overflowX(phone)).toBe(0);

        await results.getByRole('link', { name: KELP, exact: true }).click();
        await phone.getByRole('heading', { name: KELP, level: 1 }).waitFor();
        await phone.getByRole('region', { name: 'Version history' }).getByRole('table').waitFor();
        await phone.getByRole('region', { name: 'Related' }).getByRole('list').first().waitFor();
        expect(await overflowX(phone)).toBe(0);
        const player = await phone.locator('video').boundingBox();
        expect(player!.width).toBeLessThanOrEqual(375);
        await shot(phone, 'phone-asset');
      } finally {
        await phone.context().close();
      }
    });

    it('works with the keyboard alone: skip link, search, open a result, and back', async () => {
      const kb = await newPage();
      try {
        await kb.goto(`${base}/ui`);
        await tabTo(kb, kb.getByLabel('API key'));
        await kb.keyboard.type(secret(editor));
        await kb.keyboard.press('Enter');
        await kb.getByRole('heading', { name: 'Search', level: 1 }).waitFor();

        // The page's first stop, before the header: the skip link, shown when focused.
        const skip = kb.getByRole('link', { name: 'Skip to content' });
        expect(await skip.boundingBox().then((b) => b!.y + b!.height)).toBeLessThanOrEqual(0);
        await tabTo(kb, skip, 'Shift+Tab');
        expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
        await kb.keyboard.press('Enter');
        expect(await kb.evaluate('document.activeElement.id')).toBe('content');
        expect(kb.url()).toMatch(/#\/search$|\/ui$/);

        const box = kb.getByRole('combobox', { name: 'Search' });
        await tabTo(kb, box);
        await kb.keyboard.type('kel');
        await kb.getByRole('option').first().waitFor();
        await kb.keyboard.press('Escape');
        await expect.poll(() => box.getAttribute('aria-expanded')).toBe('false');
        await kb.keyboard.type('p');
        await kb.keyboard.press('Escape');
        await kb.keyboard.press('Enter');
        const results = kb.getByRole('region', { name: 'Results for “kelp”' });
        await results.waitFor();

        // Past the facets in one step.
        await tabTo(kb, kb.getByRole('link', { name: 'Skip to results' }), 'Tab', 10);
        await kb.keyboard.press('Enter');
        const link = results.getByRole('link', { name: KELP, exact: true });
        // Past "Tag all results…" and the hits ranked above it.
        await tabTo(kb, link, 'Tab', 12);
        // Focus is visible: a solid outline on the focused link.
        expect(await kb.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
        await shot(kb, 'keyboard-focus');
        await kb.keyboard.press('Enter');
        const heading = kb.getByRole('heading', { name: KELP, level: 1 });
        await heading.waitFor();
        expect(await isFocused(heading)).toBe(true);

        await tabTo(kb, kb.getByRole('link', { name: 'Back to results' }), 'Shift+Tab');
        await kb.keyboard.press('Enter');
        await kb.getByRole('region', { name: 'Results for “kelp”' }).waitFor();
        await expect.poll(() => box.inputValue()).toBe('kelp');
      } finally {
        await kb.context().close();
      }
    });

    it('fits a phone on the pages the others leave out: sign-in, jobs and not found', async () => {
      const phone = await newPage({ width: 375, height: 812 });
      try {
        await phone.goto(`${base}/ui/#/jobs`);
        await phone.getByLabel('API key').waitFor();
        expect(await overflowX(phone)).toBe(0);
        await shot(phone, 'phone-sign-in');
        await signIn(phone, editor);
        await phone.getByRole('heading', { name: 'Processing jobs', level: 1 }).waitFor();
        await phone.getByRole('table').waitFor();
        expect(await overflowX(phone)).toBe(0);
        await shot(phone, 'phone-jobs');
        await phone.goto(`${base}/ui/#/nowhere`);
        await phone.getByRole('heading', { name: 'Not found', level: 1 }).waitFor();
        expect(await overflowX(phone)).toBe(0);
        await shot(phone, 'phone-not-found');
      } finally {
        await phone.context().close();
      }
    });

    it('works with the keyboard alone on the asset page: adds a tag, removes it, opens and cancels a rollback, then jobs', async () => {
      const kb = await newPage();
      try {
        await kb.goto(`${base}/ui/#/assets/${ids.dune}`);
        await tabTo(kb, kb.getByLabel('API key'));
        await kb.keyboard.type(secret(editor));
        await kb.keyboard.press('Enter');
        await kb.getByRole('heading', { name: DUNE, level: 1 }).waitFor();
        await kb.getByRole('region', { name: 'Version history' }).getByRole('table').waitFor();

        await tabTo(kb, kb.getByLabel('Name'));
        await kb.keyboard.type('sand');
        await kb.keyboard.press('Enter');
        await status(kb).toMatch(/^Add tag sand: saved as version \d+\.$/);
        const remove = kb.getByRole('button', { name: 'Remove tag sand' });
        await tabTo(kb, remove, 'Shift+Tab');
        expect(await kb.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
        await shot(kb, 'keyboard-tag-editor');
        await kb.keyboard.press('Enter');
        await status(kb).toMatch(/^Remove tag sand: saved as version \d+\.$/);
        await expect.poll(() => remove.count()).toBe(0);

        // The oldest version's Roll back, reached by Tab; Escape leaves everything as it was.
        const rollBack = kb.getByRole('button', { name: /^Roll back to version \d+$/ }).last();
        await rollBack.waitFor();
        await tabTo(kb, rollBack, 'Tab', 80);
        await kb.keyboard.press('Enter');
        const dialog = kb.getByRole('dialog', { name: /^Roll back to version \d+\?$/ });
        await dialog.waitFor();
        expect(await kb.evaluate('document.activeElement.textContent')).toBe('Cancel');
        await kb.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        expect(await isFocused(rollBack)).toBe(true);

        const jobs = kb.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' });
        await tabTo(kb, jobs, 'Shift+Tab', 120);
        await kb.keyboard.press('Enter');
        const heading = kb.getByRole('heading', { name: 'Processing jobs', level: 1 });
        await heading.waitFor();
        // The heading takes the focus in an effect after it renders: polled, for a loaded machine.
        await expect.poll(() => isFocused(heading)).toBe(true);
        await tabTo(kb, kb.getByRole('button', { name: 'Refresh' }));
        const refreshed = kb.waitForResponse((res) => new URL(res.url()).pathname === '/v1/jobs');
        await kb.keyboard.press('Enter');
        await refreshed;
        await kb.getByRole('table').waitFor();
        await shot(kb, 'keyboard-jobs');
      } finally {
        await kb.context().close();
      }
    });

    it('raised no script errors, CSP violations or dialogs on any page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
  60_000,
);
