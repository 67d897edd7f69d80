import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from './app.js';

/**
 * What the Chromium suites (test/browser/) share: where Chromium is, where screenshots go, a page
 * that records script errors, signing in, and the keyboard and width checks.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const OUTPUT = new URL('../output/', import.meta.url);
export const PHONE = { width: 375, height: 812 };

/** Serves the test app on a free local port; returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

/** Headless Chromium, with the screenshots' folder made. */
export async function launchChromium(): Promise<Browser> {
  await mkdir(OUTPUT, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** A page in a context of its own; script errors and console errors land in `errors`. */
export async function newPage(
  browser: Browser,
  errors: string[],
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<Page> {
  const p = await (await browser.newContext({ viewport })).newPage();
  p.setDefaultTimeout(15_000);
  p.on('pageerror', (err) => errors.push(err.message));
  p.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
  });
  return p;
}

export async function signIn(
  p: Page,
  base: string,
  key: { authorization: string },
  hash = '',
): Promise<void> {
  await p.goto(`${base}/ui${hash}`);
  await p.getByLabel('API key').fill(key.authorization.replace(/^Bearer /, ''));
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('button', { name: 'Sign out' }).waitFor();
}

export const screenshot = (p: Page, name: string) =>
  p.screenshot({ path: fileURLToPath(new URL(`${name}.png`, OUTPUT)), fullPage: true });

/** Nothing is wider than the screen: no sideways scrolling. */
export const fitsWidth = (p: Page) =>
  p.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

/** The focused element's name as the tests call it: its label, aria-label or text. */
export const focusedName = (p: Page) =>
  p.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el) return '';
    const label =
      (el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent : null) ??
      el.closest('label')?.textContent ??
      null;
    return (label ?? el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\\s+/g, ' ').trim();
  })()`);

/** The focused element shows it with an outline (:focus-visible), and it is not the page body. */
export const focusShown = (p: Page) =>
  p.evaluate<boolean>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body || !el.matches(':focus-visible')) return false;
    const s = getComputedStyle(el);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  })()`);

/** Tabs until the control of this name has focus; throws if its focus does not show. */
export async function tabTo(p: Page, name: string | RegExp): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await p.keyboard.press('Tab');
    const focused = await focusedName(p);
    if (typeof name === 'string' ? focused === name : name.test(focused)) {
      if (!(await focusShown(p))) throw new Error(`the focus on “${focused}” does not show`);
      return;
    }
  }
  throw new Error(`Tab never reached “${String(name)}”`);
}
