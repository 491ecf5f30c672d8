import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createApp } from '../../api/app.ts';
import { serveApi, type RunningApi } from '../../api/serve.ts';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow } from '../../workers/start.ts';
import type { RunningWorkers } from '../../workers/run.ts';
import { testAssetSettings } from './assets.ts';
import { chromiumExecutable, secureChromiumArgs } from './browser.ts';
import { call } from './http.ts';
import { roomyRateLimits, startStackWorkers, type TestStack } from './stack.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = 'test-results/console';

export interface ConsoleSession {
  url: string;
  page: Page;
  api: RunningApi;
  /** Every console error, page error, failed request and 4xx/5xx answer the browser met, less the provoked ones. */
  problems: string[];
  /** Marks answers a test provokes on purpose (a refusal it checks): they are not problems. */
  expectAnswer(pattern: RegExp): void;
  shot(name: string): Promise<void>;
  /** axe-core on the page as it is now; returns the serious and critical violations, one line each. */
  axe(name: string): Promise<string[]>;
  signIn(token: string): Promise<void>;
  /** The stack's API as the platform operator: to check what an action left, apart from the page. */
  platform(method: string, path: string, body?: unknown): ReturnType<typeof call>;
  close(): Promise<void>;
}

/**
 * The console as `capstan up` serves it: its sources built by the buildAssets workflow (an assets worker in this
 * process), served with the API by a second app on the same stack, opened in Chromium with web security on.
 * `before` runs once the assets worker is up, before the console's own build: an earlier build to roll back to.
 */
export async function openConsole(
  stack: TestStack,
  {
    webUiUrl,
    before,
  }: { webUiUrl?: string; before?: (build: (root: string) => Promise<number>) => Promise<void> } = {},
): Promise<ConsoleSession> {
  const assets = await testAssetSettings('fs', repoRoot);
  const worker: RunningWorkers = await startStackWorkers(stack, { assets: assets.settings, queues: ['assets'] });
  const build = async (root: string) => {
    const done = await executeWorkflow(
      stack.temporal,
      workflows.buildAssets,
      { key: `console-test-${randomUUID()}` },
      { root, entries: [assets.settings.consoleEntry], actor: { type: 'Operator', id: 'vitest' } },
    );
    expect(done.files).toBeGreaterThan(0);
    return done.buildId;
  };
  await before?.(build);
  await build(repoRoot);
  const api = await serveApi(
    createApp({
      sql: stack.sql,
      temporal: stack.temporal,
      logger: stack.logger,
      rateLimits: roomyRateLimits,
      licence: stack.licence,
      webUiUrl,
      assets: assets.settings,
      codecServer: { codec: stack.access.codec, allowedOrigins: [] },
    }),
    '127.0.0.1',
    0,
  );
  await mkdir(SHOTS, { recursive: true });
  const browser: Browser = await playwright.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: secureChromiumArgs(),
  });
  // A context of its own: axe-core opens a blank page beside the test's to merge its results.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const provoked: RegExp[] = [];
  const isProvoked = (text: string) => provoked.some((p) => p.test(text));
  page.on('console', (m) => {
    // Chromium logs each 4xx/5xx answer as a console error too; the answer itself is judged below.
    if (m.type() === 'error' && !(/Failed to load resource/.test(m.text()) && provoked.length))
      problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    const line = `${r.status()} ${r.request().method()} ${r.url()}`;
    if (r.status() >= 400 && !isProvoked(line)) problems.push(line);
  });
  const url = `${api.url}/console`;
  const session: ConsoleSession = {
    url,
    page,
    api,
    problems,
    expectAnswer: (pattern) => void provoked.push(pattern),
    shot: async (name) => void (await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })),
    async axe(name) {
      const { violations, passes } = await new AxeBuilder({ page }).analyze();
      expect(passes.length, `axe checked nothing on ${name}`).toBeGreaterThan(0);
      return violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    },
    async signIn(token) {
      await page.goto(url);
      await page.getByLabel('Access token').fill(token);
      await page.keyboard.press('Enter');
      await page.locator('#page-title').waitFor();
    },
    platform: (method, path, body) => call(stack.api.url, method, path, { token: stack.platformToken, body }),
    async close() {
      await browser.close();
      await api.close();
      await worker.shutdown();
      await assets.close();
    },
  };
  return session;
}

/** Opens a console page and waits for its heading and its first reads. */
export async function visit(session: ConsoleSession, route: string, title: string | RegExp): Promise<void> {
  await session.page.goto(`${session.url}#${route}`);
  await expect.poll(() => session.page.locator('#page-title').textContent(), { timeout: 30_000 }).toMatch(title);
  await session.page.waitForLoadState('networkidle');
}

/** The newest audit row of `action` about `subjectId`, read through the API as the operator. */
export async function auditRow(session: ConsoleSession, action: string, subjectId: string | number) {
  const answer = await session.platform(
    'GET',
    `/v1/audit_log?action=${encodeURIComponent(action)}&subject_id=${encodeURIComponent(String(subjectId))}&limit=1`,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.payload[0] as
    | { action: string; actor_type: string; actor_id: string; details: Record<string, unknown>; created_at: string }
    | undefined;
}
