import { mkdir } from 'node:fs/promises';
import { chromium as playwright, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumExecutable, secureChromiumArgs } from '../support/browser.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true, worker: false });
const SHOTS = 'test-results/screenshots';
let browser: Browser;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  browser = await playwright.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: secureChromiumArgs(),
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

type OpenApi = { paths: Record<string, Record<string, unknown>> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

describe('the API reference at /docs', () => {
  it('renders every operation of /openapi.json, with nothing loaded from anywhere but Capstan', async () => {
    const spec = (await (await fetch(`${stack.api.url}/openapi.json`)).json()) as OpenApi;
    const operations = Object.entries(spec.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(operations.length).toBeGreaterThan(50);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const elsewhere: string[] = [];
    const origin = new URL(stack.api.url).origin;
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    page.on(
      'request',
      (r) => !r.url().startsWith(`${origin}/`) && !r.url().startsWith('data:') && elsewhere.push(r.url()),
    );
    try {
      const answer = await page.goto(`${stack.api.url}/docs`);
      expect(answer?.status()).toBe(200);
      expect(answer?.headers()['content-security-policy']).toMatch(/^default-src 'self';/);
      await page.locator('.opblock').first().waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, operations.length);
      const shown = await page.$$eval('.opblock', (blocks) =>
        blocks.map((b) => {
          const method = b.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
          const path = b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
          return `${method} ${path}`;
        }),
      );
      expect(shown.sort()).toEqual(operations);
      await page.screenshot({ path: `${SHOTS}/api-reference.png` });
      expect(problems).toEqual([]);
      expect(elsewhere).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('serves only the files the page needs', async () => {
    const css = await fetch(`${stack.api.url}/docs/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const other = await fetch(`${stack.api.url}/docs/package.json`);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
