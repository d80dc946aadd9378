import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserStack, describeBrowser, launchBrowser, signIn, startBrowserStack } from './support.ts';

describeBrowser('dashboard shell (Chromium)', () => {
  let env: BrowserStack;
  let browser: Browser;
  beforeAll(async () => {
    env = await startBrowserStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  it('serves the SPA on every page route and never for /api', async () => {
    for (const path of ['/', '/board', '/board/post-1', '/overview', '/field']) {
      const res = await fetch(`${env.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(await res.text(), path).toContain('<div id="root">');
    }
    const api = await fetch(`${env.baseUrl}/api/nope`);
    expect(api.headers.get('content-type')).toContain('application/json');
    const html = await (await fetch(`${env.baseUrl}/`)).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const res = await fetch(`${env.baseUrl}${asset}`);
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('shows the sign-in form, signs in, and the language toggle switches labels', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${env.baseUrl}/`);
      await expect(page.getByTestId('login-submit').textContent()).resolves.toBe('登录');
      await page.getByTestId('lang-toggle').click();
      await expect(page.getByTestId('login-submit').textContent()).resolves.toBe('Sign in');
      await page.getByTestId('lang-toggle').click();
      await signIn(page, env.baseUrl);
      await page.getByTestId('map').waitFor();
    } finally {
      await page.close();
    }
  });
});
