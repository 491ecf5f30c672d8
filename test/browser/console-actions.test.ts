/**
 * Account suspension and asset builds from the console in a real browser, each checked by the state and audit row
 * it left through the API; an axe-core pass over every page the console had before its actions; and the operator
 * pages kept from a token that is not the operator's.
 */
import { cp, mkdtemp, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRow, openConsole, repoRoot, visit, type ConsoleSession } from '../support/console-browser.ts';
import { seedDemoData, settledDeliveries } from '../support/demo.ts';
import { newAccount } from '../support/fixtures.ts';
import { startReceiver } from '../support/receiver.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true, ownDatabase: true, licensing: { heartbeatIntervalMs: 3_600_000 } });
let ui: ConsoleSession;
let page: Page;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let olderSources = '';
let olderBuild = 0;
const violations: string[] = [];
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 60_000, interval: 200 });

beforeAll(async () => {
  receiver = await startReceiver();
  await seedDemoData(stack, receiver.url);
  await settledDeliveries(stack);
  // An older console to roll back to: the same sources and one more comment, so another content hash.
  olderSources = await mkdtemp(join(tmpdir(), 'capstan-console-older-'));
  await cp(join(repoRoot, 'web'), join(olderSources, 'web'), { recursive: true });
  await appendFile(join(olderSources, 'web/src/styles.css'), '\n/* the build before */\n');
  ui = await openConsole(stack, { before: async (build) => void (olderBuild = await build(olderSources)) });
  page = ui.page;
  await ui.signIn(stack.platformToken);
}, 240_000);

afterAll(async () => {
  await ui?.close();
  await receiver?.close();
  if (olderSources) await rm(olderSources, { recursive: true, force: true });
});

async function confirm(scope: ReturnType<Page['locator']>, yes: string, reason?: string) {
  const dialog = scope.getByRole('alertdialog');
  await dialog.waitFor();
  if (reason) await dialog.getByLabel(/^Reason/).fill(reason);
  await dialog.getByRole('button', { name: yes }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('console actions in a real browser', () => {
  it('suspends an account with a reason and reactivates it', async () => {
    await visit(ui, '/accounts', 'Accounts');
    const row = page.locator('li[data-account="Globex Help"]');
    const [account] = await stack.sql<{ id: number }[]>`select id from accounts where name = 'Globex Help'`;
    const status = async () => (await ui.platform('GET', `/v1/accounts/${account!.id}`)).body.status;

    await row.getByRole('button', { name: 'Suspend' }).click();
    await ui.shot('account-suspend-question');
    await confirm(row, 'Yes, suspend', 'unpaid invoice');
    await poll(status).toBe('suspended');
    await poll(() => row.locator('.badge').textContent()).toBe('suspended');
    expect((await auditRow(ui, 'account.suspended', account!.id))?.details).toMatchObject({ reason: 'unpaid invoice' });
    await poll(() => page.locator('li[data-audit="account.suspended"]').count()).toBe(1);

    await row.getByRole('button', { name: 'Reactivate' }).click();
    await confirm(row, 'Yes, reactivate');
    await poll(status).toBe('active');
    await poll(() => row.locator('.badge').textContent()).toBe('active');
    expect(await auditRow(ui, 'account.reactivated', account!.id)).toBeDefined();
    violations.push(...(await ui.axe('accounts')));
    await ui.shot('accounts-actions');
  });

  it('lists asset builds and rolls back to the older one', async () => {
    await visit(ui, '/assets', 'Asset builds');
    const live = async () => (await ui.platform('GET', '/v1/assets/manifest')).body.build_id as number;
    const current = await live();
    expect(current).not.toBe(olderBuild);
    await poll(() => page.locator('li[data-build]').count()).toBe(2);
    expect(await page.locator(`li[data-build="${current}"]`).getAttribute('data-live')).toBe('true');
    violations.push(...(await ui.axe('assets')));
    await ui.shot('assets');

    const older = page.locator(`li[data-build="${olderBuild}"]`);
    await older.getByRole('button', { name: 'Roll back to this build' }).click();
    await confirm(older, 'Yes, roll back');
    await poll(live).toBe(olderBuild);
    await poll(() => older.getAttribute('data-live')).toBe('true');
    expect((await auditRow(ui, 'assets.rolled_back', olderBuild))?.details).toMatchObject({ from: current });
    // The rolled-back console is the one served now, and it works.
    await page.reload();
    await page.locator(`li[data-build="${olderBuild}"]`).waitFor();
  });

  it('builds the console and follows the run until it is live', async () => {
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Build the console now…' }).click();
    await confirm(page.locator('main'), 'Yes, build');
    await poll(() => page.locator('[data-run-status]').getAttribute('data-run-status')).toBe('COMPLETED');
    await poll(() => page.getByRole('status').first().textContent()).toBe('Build completed.');
    const manifest = await ui.platform('GET', '/v1/assets/manifest');
    expect(manifest.body.build_id).not.toBe(olderBuild);
    await poll(() => page.locator(`li[data-build="${manifest.body.build_id}"]`).getAttribute('data-live')).toBe('true');
    const switched = await auditRow(ui, 'assets.switched', manifest.body.build_id);
    expect(Date.parse(switched!.created_at)).toBeGreaterThanOrEqual(clicked - 1_000);
    await ui.shot('assets-built');
  });

  it('passes axe on every page the console had before its actions', async () => {
    const [account] = await stack.sql`select id from accounts where name = 'Acme Support'`;
    const [delivery] =
      await stack.sql`select id, webhook_id from webhook_deliveries where account_id = ${account!.id} limit 1`;
    const pages: [string, string, RegExp][] = [
      ['members', `/accounts/${account!.id}/members`, /^Members/],
      ['conversations', `/accounts/${account!.id}/conversations`, /^Conversations/],
      ['messages', `/accounts/${account!.id}/conversations/1`, /^Conversation #1/],
      ['webhooks', `/accounts/${account!.id}/webhooks`, /^Webhooks/],
      ['delivery', `/accounts/${account!.id}/webhooks/${delivery!.webhook_id}/deliveries/${delivery!.id}`, /^Delivery/],
      ['licence', '/licence', /^Licence/],
      ['deploys', '/deploys', /^Deploys/],
    ];
    for (const [name, route, title] of pages) {
      await visit(ui, route, title);
      violations.push(...(await ui.axe(name)));
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    violations.push(...(await ui.axe('sign-in')));
  });

  it('shows no operator page or action to an account administrator', async () => {
    const account = await newAccount(stack, 'not-operator');
    await ui.signIn(account.adminToken);
    await page.locator(`li[data-account]`).first().waitFor();
    const nav = await page.getByRole('navigation', { name: 'Sections' }).textContent();
    for (const label of ['Dead letters', 'Breakers', 'Schedules', 'Triage', 'Assets', 'Deploys'])
      expect(nav).not.toContain(label);
    expect(await page.getByRole('button', { name: 'Suspend' }).count()).toBe(0);
    // The route still opens if typed; the API refuses it, and the page says so.
    ui.expectAnswer(/^403 GET .*\/v1\/breakers$/);
    await visit(ui, '/breakers', 'Circuit breakers');
    await poll(() => page.getByRole('alert').first().textContent()).toMatch(/platform token/);
  });

  it('met no console error, failed request or serious accessibility violation', () => {
    expect(ui.problems).toEqual([]);
    expect(violations).toEqual([]);
  });
});
