import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const MASK_KEY = 'a-test-masking-key-of-at-least-32-chars';
/** Markup in a comment: shown as these characters, never as an image whose onerror runs. */
const TRICKY = 'The logo <img src=x onerror=alert(1)> at 1:12 is the old one';

/**
 * Feedback on the asset page in Chromium with two people, each in a browser context of their own:
 * what one posts, reacts, replies, resolves and assigns arrives in the other's page without a
 * reload, and again after the other's stream drops (it resumes with Last-Event-ID). The timeline's
 * markers open their thread by keyboard; the page fits 375 px.
 */
describe.skipIf(!hasChromium)('feedback on the asset page, live, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let ada: { authorization: string };
  let ben: { authorization: string };
  let asset: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { MASK_KEY } });
    base = await listen(t);
    const key = async (name: string) => {
      const { secret } = await t.container.apiKeys.create({ tenantId: 'default', name, role: 'EDITOR' });
      return { authorization: `Bearer ${secret}` };
    };
    ada = await key('Ada');
    ben = await key('Ben');
    ({ asset } = await ingestNamed(t, ada, {
      asset: anAssetInput({
        type: 'VIDEO',
        title: 'Harbour launch film',
        technicalMetadata: { durationSeconds: 120 },
      }),
    }));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const live = (p: Page) => p.getByText('Live: new feedback appears as it is posted.').waitFor();
  const threads = (p: Page) => p.getByRole('list', { name: 'Feedback threads' });
  const thread = (p: Page, text: string) =>
    threads(p).getByRole('listitem').filter({ hasText: text }).first();

  it('shows what one person posts, reacts, replies, resolves and assigns in the other’s page without a reload', async () => {
    const one = await newPage(browser, pageErrors);
    const other = await newPage(browser, pageErrors);
    for (const p of [one, other])
      p.on('dialog', (d) => void d.dismiss().then(() => pageErrors.push('dialog')));
    await signIn(one, base, ada, `#/assets/${asset}`);
    await signIn(other, base, ben, `#/assets/${asset}`);
    await Promise.all([live(one), live(other)]);
    await other.getByText('No feedback yet.').waitFor();
    // Every page the other opens from here on is counted: none may be a reload.
    let navigations = 0;
    other.on('framenavigated', (f) => {
      if (f === other.mainFrame()) navigations++;
    });

    // Time-coded feedback: an issue at 1:12, with markup in its text.
    await one.getByLabel('Comment').fill(TRICKY);
    await one.getByLabel('Type').selectOption('issue');
    await one.getByLabel('Time (m:ss)').fill('1:12');
    await one.getByRole('button', { name: 'Post feedback' }).click();

    const arrived = thread(other, 'old one');
    await expect.poll(() => arrived.locator('.comment-text').first().innerText()).toBe(TRICKY);
    // Text only: the markup made no element, and no script ran (no dialog, no page error).
    expect(await threads(other).locator('img').count()).toBe(0);
    expect(await arrived.getByRole('heading', { level: 3 }).innerText()).toMatch(/Issue\s+at 1:12\s+Open/);
    await expect.poll(() => arrived.locator('.comment-meta').first().innerText()).toContain('Ada');

    // The marker sits on the timeline, says what it is, and opens its thread from the keyboard.
    const marker = other.getByRole('group', { name: 'Feedback timeline' }).getByRole('button');
    await expect.poll(() => marker.count()).toBe(1);
    expect(await marker.getAttribute('aria-label')).toBe(`Issue at 1:12, Open: ${TRICKY}`);
    // At 72 s of 120 s: 60 % along the track.
    expect(await marker.evaluate((el: { style: { left: string } }) => el.style.left)).toBe('60%');
    await tabTo(other, /^Issue at 1:12/);
    await other.keyboard.press('Enter');
    await expect.poll(() => focusedName(other)).toMatch(/^Issue at 1:12 Open$/);
    expect(await marker.getAttribute('aria-pressed')).toBe('true');
    await screenshot(other, 'comments-thread-opened');

    // A reaction arrives.
    await thread(one, 'old one').getByRole('button', { name: '👍 0' }).first().click();
    await arrived.getByRole('button', { name: '👍 1' }).first().waitFor();

    // The other replies; the first sees it.
    await arrived.getByRole('button', { name: 'Reply' }).first().click();
    await other.getByLabel('Reply to Ada').fill('On it: the new logo is in the brand folder');
    await other.getByRole('button', { name: 'Post reply' }).click();
    await thread(one, 'old one').getByText('On it: the new logo is in the brand folder').waitFor();

    // Resolved and assigned: the status, the marker and the assignee change in the other's page.
    await thread(one, 'old one').getByLabel('Status').selectOption('resolved');
    await expect.poll(() => arrived.getByRole('heading', { level: 3 }).innerText()).toMatch(/Resolved/);
    await expect.poll(() => marker.getAttribute('aria-label')).toMatch(/^Issue at 1:12, Resolved: /);
    await thread(one, 'old one').getByRole('button', { name: 'Assign to me' }).click();
    await arrived.getByText('Assigned to Ada').waitFor();
    await screenshot(one, 'comments-poster');
    await screenshot(other, 'comments-watcher');
    expect(navigations).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('resumes after the stream drops with Last-Event-ID, and gets the change made meanwhile', async () => {
    const watcher = await newPage(browser, pageErrors);
    const resumes: string[] = [];
    watcher.on('request', (r) => {
      const last = r.headers()['last-event-id'];
      if (r.url().endsWith('/comments/stream') && last) resumes.push(last);
    });
    await signIn(watcher, base, ben, `#/assets/${asset}`);
    await live(watcher);
    await thread(watcher, 'old one').waitFor();
    // One event received, so the stream has an id to resume from.
    const post = (text: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/assets/${asset}/comments`,
        headers: ada,
        payload: { author: { id: 'ada', displayName: 'Ada' }, text },
      });
    expect((await post('A note before the drop')).statusCode).toBe(201);
    await thread(watcher, 'A note before the drop').waitFor();

    // Every connection the server holds is cut; the next change lands while the page is away.
    t.app.server.closeAllConnections();
    expect((await post('A note while the stream was down')).statusCode).toBe(201);
    await thread(watcher, 'A note while the stream was down').waitFor();
    expect(resumes.length).toBeGreaterThan(0);
    await live(watcher);
    expect(pageErrors).toEqual([]);
  });

  it('fits 375 px with the timeline and threads, and its controls show their focus', async () => {
    const phone = await newPage(browser, pageErrors, PHONE);
    await signIn(phone, base, ada, `#/assets/${asset}`);
    await live(phone);
    await thread(phone, 'old one').waitFor();
    expect(await fitsWidth(phone)).toBe(true);
    await tabTo(phone, /^Issue at 1:12/);
    await tabTo(phone, 'Comment');
    await tabTo(phone, 'Time (m:ss)');
    await screenshot(phone, 'comments-phone');
    expect(pageErrors).toEqual([]);
  });
});
