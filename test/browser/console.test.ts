import { mkdir } from 'node:fs/promises';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../api/app.ts';
import { serveApi, type RunningApi } from '../../api/serve.ts';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow } from '../../workers/start.ts';
import type { RunningWorkers } from '../../workers/run.ts';
import { testAssetSettings } from '../support/assets.ts';
import { seedDemoData, settledDeliveries } from '../support/demo.ts';
import { call } from '../support/http.ts';
import { join, newAccount } from '../support/fixtures.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { roomyRateLimits, startStackWorkers, unique, useStack } from '../support/stack.ts';
import { chromiumExecutable, secureChromiumArgs } from '../support/browser.ts';

const WEB_UI = 'http://127.0.0.1:8233';
const SHOTS = 'test-results/screenshots';
const stack = useStack({
  http: true,
  ownDatabase: true,
  clever: true,
  licensing: { heartbeatIntervalMs: 3_600_000 },
  webUiUrl: WEB_UI,
});

let receiver: Awaited<ReturnType<typeof startReceiver>>;
/** The API as production runs it with the asset pipeline: `/console` and `/assets/*` from the live build. */
let consoleApi: RunningApi;
let assetWorker: RunningWorkers;
let assets: Awaited<ReturnType<typeof testAssetSettings>>;
let consoleUrl = '';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let browser: Browser;
let page: Page;
const appId = unique('shop');
/** Every console error, page error, failed request and 4xx/5xx answer the browser meets. */
const problems: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  await seedDemoData(stack, receiver.url);
  await settledDeliveries(stack);
  const platform = { token: stack.platformToken };
  expect((await call(stack.api.url, 'POST', '/v1/license/heartbeat', platform)).status).toBe(200);
  // A deploy that never ends on its own, for the live progress and the cancel.
  stack.clever.state.faults = { ...defaultFaults, deployOutcome: 'never', notFoundMs: 0 };
  stack.clever.state.addApp('orga_demo', appId, appId, 'aaaa0000');
  const started = await call(stack.api.url, 'POST', '/v1/deploys', {
    ...platform,
    body: { owner_id: 'orga_demo', app_id: appId, commit: 'beef0001', deadline_seconds: 600 },
  });
  expect(started.status).toBe(202);
  await until('the deployment to start', () => stack.clever.state.find('orga_demo', appId)!.deployments.length > 0);

  // The console's own sources, built by the buildAssets workflow and served by the API, as `capstan up` does.
  assets = await testAssetSettings('fs', repoRoot);
  assetWorker = await startStackWorkers(stack, {
    assets: assets.settings,
    queues: ['assets'],
  });
  const built = await executeWorkflow(
    stack.temporal,
    workflows.buildAssets,
    { key: `console-test-${randomUUID()}` },
    { root: repoRoot, entries: [assets.settings.consoleEntry], actor: { type: 'Operator', id: 'vitest' } },
  );
  expect(built.files).toBeGreaterThan(0);
  consoleApi = await serveApi(
    createApp({
      sql: stack.sql,
      temporal: stack.temporal,
      logger: stack.logger,
      licence: stack.licence,
      rateLimits: roomyRateLimits,
      webUiUrl: WEB_UI,
      assets: assets.settings,
      // As `capstan up` and `capstan api` serve it: the console opens its codec session on sign-in.
      codecServer: { codec: stack.access.codec, allowedOrigins: [] },
    }),
    '127.0.0.1',
    0,
  );
  consoleUrl = `${consoleApi.url}/console`;
  await mkdir(SHOTS, { recursive: true });
  browser = await playwright.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: secureChromiumArgs(),
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await consoleApi?.close();
  await assetWorker?.shutdown();
  await assets?.close();
  await receiver?.close();
});

const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    return { text: el?.textContent?.trim() ?? '', tag: el?.tagName ?? '', outline: style?.outlineStyle ?? 'none' };
  });
/** Opens a link the way a keyboard user does: focus it, press Enter. */
async function enter(selector: string, text: string) {
  await page.locator(selector).getByRole('link', { name: text, exact: true }).first().focus();
  await page.keyboard.press('Enter');
}

describe('the operator console in a real browser', () => {
  it('signs in with the keyboard and lists the seeded accounts', async () => {
    await page.goto(consoleUrl);
    await page.getByLabel('Access token').waitFor();
    // The paint entry is recorded a frame after the paint itself.
    const contentfulPaint = () =>
      page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0);
    await expect.poll(contentfulPaint).toBeGreaterThan(0);
    const paint = await contentfulPaint();
    console.log(`console first contentful paint: ${paint.toFixed(0)} ms`);
    expect((await focused()).tag).toBe('INPUT');
    await page.keyboard.type(stack.platformToken);
    await page.keyboard.press('Enter');
    await page.locator('li[data-account="Acme Support"]').waitFor();
    await expect.poll(() => page.locator('li[data-account]').count()).toBe(2);
    await expect.poll(async () => (await focused()).text).toBe('Accounts');
    // Tab order: from the page heading to the first account's first link, with a visible focus ring.
    await page.keyboard.press('Tab');
    const first = await focused();
    expect(first).toMatchObject({ tag: 'A', text: 'Members' });
    expect(first.outline).not.toBe('none');
    const workflows = page.locator('li[data-account="Acme Support"] a.workflow');
    expect(await workflows.getAttribute('href')).toMatch(
      new RegExp(`^${WEB_UI}/namespaces/[^/]+/workflows\\?query=CapstanAccountId`),
    );
    await shot('accounts');
  });

  it('shows members and invitations', async () => {
    await enter('li[data-account="Acme Support"]', 'Members');
    await page.locator('li[data-member="grace@acme.demo"]').waitFor();
    for (const email of ['ada@acme.demo', 'alan@acme.demo'])
      expect(await page.locator(`li[data-member="${email}"]`).count()).toBe(1);
    await expect.poll(() => page.locator('li[data-invitation="linus@acme.demo"]').textContent()).toContain('pending');
    await shot('members');
  });

  it('pages through a conversation newest first', async () => {
    await page.goBack();
    await enter('li[data-account="Acme Support"]', 'Conversations');
    await page.getByRole('link', { name: /with Ana Lima/ }).focus();
    await page.keyboard.press('Enter');
    const seqs = () =>
      page
        .locator('li[data-message-seq]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-message-seq'))));
    await expect.poll(async () => (await seqs()).length).toBe(10);
    expect(await seqs()).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    expect(await page.locator('li[data-message-seq="14"] a.workflow').getAttribute('href')).toContain(
      encodeURIComponent('WorkflowId = "message:'),
    );
    await page.getByRole('button', { name: 'Older messages' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await seqs()).length).toBe(14);
    expect((await seqs()).at(-1)).toBe(1);
    expect(await page.getByRole('button', { name: 'Older messages' }).count()).toBe(0);
    await shot('conversation');
  });

  it('shows webhooks, their deliveries and every attempt', async () => {
    await page.goto(`${consoleUrl}#/accounts`);
    await enter('li[data-account="Acme Support"]', 'Webhooks');
    const hook = page.locator('article[data-webhook="Order bot"]');
    await hook.locator('li[data-delivery]').first().waitFor();
    expect(await hook.locator('li[data-delivery]').count()).toBe(10);
    await shot('webhooks');
    await hook.locator('li[data-delivery] a').first().focus();
    await page.keyboard.press('Enter');
    await page.locator('li[data-attempt="1"]').waitFor();
    expect(await page.locator('li[data-attempt="1"]').textContent()).toContain('HTTP 200');
    expect(await page.locator('a.workflow').first().getAttribute('href')).toContain(
      encodeURIComponent('WorkflowId = "delivery:'),
    );
    await shot('delivery');
  });

  it('shows the licence and its heartbeat history', async () => {
    await page.getByRole('link', { name: 'Licence' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.facts').waitFor();
    expect(await page.locator('.facts').textContent()).toContain('business');
    expect(await page.locator('.facts .badge').first().textContent()).toBe('VALID');
    await page.locator('li[data-heartbeat]').first().waitFor();
    expect(await page.locator('li[data-heartbeat]').first().textContent()).toContain('confirmed');
    await shot('licence');
  });

  it('follows a deploy live and cancels it from the keyboard, Escape backing out first', async () => {
    await page.getByRole('link', { name: 'Deploys' }).focus();
    await page.keyboard.press('Enter');
    const row = page.locator(`li[data-app="${appId}"]`);
    await expect
      .poll(() => row.locator('.progress-line').getAttribute('data-live-status'), { timeout: 20_000 })
      .toBe('RUNNING');
    await expect.poll(() => row.locator('.progress-line').textContent()).toMatch(/elapsed/);
    await shot('deploy-running');

    const cancel = row.getByRole('button', { name: 'Cancel deploy' });
    await cancel.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).text).toBe('Yes, cancel it'); // focus moves once the dialog renders
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await focused()).text).toBe('Cancel deploy');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).text).toBe('Yes, cancel it');
    await page.keyboard.press('Enter');
    await expect.poll(() => row.locator('.badge').first().textContent(), { timeout: 30_000 }).toBe('CANCELLED');
    expect(stack.clever.state.find('orga_demo', appId)!.deployments[0]!.cancelled).toBe(true);
    await shot('deploy-cancelled');
  });

  it('fits a 360 px screen on every page, without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const [account] = await stack.sql`select id from accounts where name = 'Acme Support'`;
    const [delivery] =
      await stack.sql`select id, webhook_id from webhook_deliveries where account_id = ${account!.id} limit 1`;
    const routes = [
      '#/accounts',
      `#/accounts/${account!.id}/members`,
      `#/accounts/${account!.id}/conversations/1`,
      `#/accounts/${account!.id}/webhooks`,
      `#/accounts/${account!.id}/webhooks/${delivery!.webhook_id}/deliveries/${delivery!.id}`,
      '#/licence',
      '#/deploys',
    ];
    for (const route of routes) {
      await page.goto(`${consoleUrl}${route}`);
      await page.locator('#page-title').waitFor();
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, route).toBeLessThanOrEqual(360);
    }
    await page.goto(`${consoleUrl}#/accounts/${account!.id}/conversations/1`);
    await page.locator('li[data-message-seq]').first().waitFor();
    await shot('conversation-360');
  });

  it('a signed-in agent reads both directions and replies; the API then has the reply, delivered, and the note', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const account = await newAccount(stack, 'console-reply');
    const agent = await join(stack, account, 'agent');
    const base = `/v1/accounts/${account.accountId}`;
    const inbox = await account.api('POST', `${base}/inboxes`, {
      body: { name: 'Shop API', webhook_url: receiver.url },
    });
    expect(inbox.status, JSON.stringify(inbox.body)).toBe(201);
    const incoming = await account.api('POST', `${base}/inboxes/${inbox.body.id}/messages`, {
      body: { contact: { identifier: unique('console-cust') }, content: 'Is my parcel lost?' },
    });
    const displayId = incoming.body.conversation_id as number;

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').fill(agent.token);
    await page.keyboard.press('Enter');
    await page.locator('#page-title').waitFor();
    await page.goto(`${consoleUrl}#/accounts/${account.accountId}/conversations/${displayId}`);
    await page.locator('li[data-message-seq="1"].message-incoming').waitFor();

    await page.getByLabel('Reply', { exact: true }).fill('It left the depot this morning.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const reply = page.locator('li[data-message-seq="2"].message-outgoing');
    await expect.poll(() => reply.locator('.content').textContent()).toBe('It left the depot this morning.');
    await page.getByLabel('Reply', { exact: true }).fill('Offer a voucher if it is late');
    await page.getByLabel(/Private note/).check();
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect
      .poll(() => page.locator('li[data-message-seq="3"]').getAttribute('class'))
      .toContain('message-private');
    expect(await page.locator('li[data-message-seq="3"]').textContent()).toContain('private note');
    expect(await reply.locator('.badge').textContent()).toBe('sent');
    await shot('conversation-reply');

    const listed = await account.api('GET', `${base}/conversations/${displayId}/messages`);
    expect(
      listed.body.payload.map((m: Record<string, unknown>) => [m.seq, m.message_type, m.private, m.sender_id]),
    ).toEqual([
      [1, 'incoming', false, incoming.body.contact_id],
      [2, 'outgoing', false, agent.userId],
      [3, 'outgoing', true, agent.userId],
    ]);
    await until('the reply at the callback', () =>
      receiver.received.some((r) => r.body.includes('It left the depot this morning.')),
    );
    expect(receiver.received.some((r) => r.body.includes('Offer a voucher'))).toBe(false);
  });

  it('met no console error, page error or failed request', () => {
    expect(problems).toEqual([]);
  });
});
