import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/lifecycle-rules.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import {
  fitsWidth,
  focusedName,
  hasChromium,
  launchChromium,
  listen,
  newPage,
  PHONE,
  screenshot,
  signIn,
  tabTo,
} from '../support/browser.js';
import { anAssetInput } from '../support/factories.js';

const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString();

/**
 * The Lifecycle page in Chromium, at phone width and with the keyboard alone: add a rule, edit it,
 * preview what it would do, run it now and follow the link to its job, delete a rule after asking.
 */
describe.skipIf(!hasChromium)('the web UI’s lifecycle rules in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: { authorization: string };
  let ids: Record<'old' | 'fresh', string>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { LIFECYCLE_INTERVAL_MS: '0' } });
    base = await listen(t);
    admin = await t.keyFor('default', 'ADMIN');
    ids = await ingestNamed(t, admin, {
      old: anAssetInput({ type: 'AUDIO', title: 'Harbour sounds 2019', createdAt: daysAgo(500) }),
      fresh: anAssetInput({ type: 'AUDIO', title: 'Harbour sounds today' }),
    });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const status = (p: Page) =>
    expect.poll(() => p.getByRole('status').last().innerText(), { timeout: 15_000 });

  it('adds, edits, previews, runs and deletes rules by keyboard at 375 px, without sideways scrolling', async () => {
    const page = await newPage(browser, pageErrors, PHONE);
    await signIn(page, base, admin, '#/lifecycle');
    await page.getByRole('heading', { name: 'Lifecycle rules', level: 1 }).waitFor();

    // Add a rule with the keyboard alone.
    await tabTo(page, 'Name');
    await page.keyboard.type('Old audio');
    await tabTo(page, 'Asset type');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'Archive after (days)');
    await page.keyboard.type('30');
    await tabTo(page, 'Delete after (days)');
    await page.keyboard.type('20');
    await tabTo(page, 'Add rule');
    await page.keyboard.press('Enter');
    // The API's refusal, in its words: a delete before the archive.
    await expect
      .poll(() => page.getByRole('alert').first().innerText())
      .toContain('one field needs a change');
    // The field the API names says why, and has the focus.
    expect(await focusedName(page)).toBe('Delete after (days)');
    expect(await page.locator('#new-rule-deleteAfterDays-error').innerText()).toMatch(
      /later than the archive/,
    );
    await page.getByLabel('Delete after (days)').fill('365');
    await tabTo(page, 'Add rule');
    await page.keyboard.press('Enter');
    await status(page).toBe('Lifecycle rule “Old audio” added.');
    const rules = page.getByRole('table');
    await expect.poll(() => rules.getByRole('row').nth(1).innerText()).toContain('Audio');

    // Edit it: a priority.
    await tabTo(page, 'Edit Old audio');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Edit “Old audio”' }).waitFor();
    await page.getByLabel('Priority').fill('5');
    await tabTo(page, 'Save rule');
    await page.keyboard.press('Enter');
    await status(page).toBe('Lifecycle rule “Old audio” saved.');
    await expect.poll(() => rules.getByRole('row').nth(1).innerText()).toContain('5');

    // Preview: the old recording would be deleted, the new one is left alone.
    await tabTo(page, 'Preview');
    await page.keyboard.press('Enter');
    const preview = page.getByRole('table').filter({ hasText: 'As of' });
    await expect.poll(() => preview.getByRole('row').count()).toBe(2);
    const row = await preview.getByRole('row').nth(1).innerText();
    expect(row).toContain('Harbour sounds 2019');
    expect(row).toContain('Delete');
    expect(row).toContain('500');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'lifecycle-rules-phone');

    // Run now, and follow the link to the job.
    await tabTo(page, 'Run rules now');
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: /on the Jobs page/ });
    await link.waitFor();
    await expect
      .poll(
        async () =>
          (
            await t.app.inject({
              url: `/v1/assets/${ids.old}`,
              headers: admin,
            })
          ).statusCode,
        { timeout: 60_000 },
      )
      .toBe(404);
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Processing jobs', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByRole('table').getByRole('row').nth(1).innerText(), { timeout: 30_000 })
      .toContain('deleted 1');
    expect(await fitsWidth(page)).toBe(true);

    // Delete the rule, after asking; focus starts on Cancel.
    await page.goto(`${base}/ui#/lifecycle`);
    await page.getByRole('heading', { name: 'Lifecycle rules', level: 1 }).waitFor();
    await tabTo(page, 'Delete Old audio');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await focusedName(page)).toBe('Cancel');
    await tabTo(page, 'Delete rule');
    await page.keyboard.press('Enter');
    await status(page).toBe('Lifecycle rule “Old audio” deleted.');
    await expect.poll(() => page.getByText('No lifecycle rules yet.').count()).toBe(1);
    expect((await t.app.inject({ url: `/v1/assets/${ids.fresh}`, headers: admin })).statusCode).toBe(200);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
