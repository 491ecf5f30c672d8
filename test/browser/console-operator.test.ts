/**
 * The operator's failure and triage pages in a real browser, each action checked by the state and the audit row
 * it left, read through the API: dead letters, breakers, schedules, debug-auth, break-glass grants, force reset.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakerPolicies } from '../../config/catalogue.ts';
import { recordFailure } from '../../db/breakers.ts';
import { actorSecret } from '../../db/installation.ts';
import { displayPrefix } from '../../db/tokens.ts';
import { DEAD_LETTER_RETENTION_SCHEDULE_ID, ensureSchedules, ownedScheduleIds } from '../../workers/schedules.ts';
import { auditRow, openConsole, visit, type ConsoleSession } from '../support/console-browser.ts';
import { mailedSignInToken, newAccount, newInbox, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true, ownDatabase: true });
let ui: ConsoleSession;
let page: Page;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let receiverUp = false;
const accepted: string[] = [];
let failing: AccountFixture;
let letters: { id: number; workflow_id: string }[] = [];
const breaker = `webhook:${unique('hooks')}.example:443`;
const violations: string[] = [];

beforeAll(async () => {
  // Four deliveries to a receiver that is down: four dead letters of one account.
  receiver = await startReceiver((req) => {
    if (!receiverUp) return 503;
    accepted.push(String(req.headers['x-capstan-delivery']));
    return 200;
  });
  failing = await newAccount(stack, 'letters');
  const inboxId = await newInbox(failing);
  const hook = await failing.api('POST', `/v1/accounts/${failing.accountId}/webhooks`, {
    body: { url: receiver.url, subscriptions: ['message_created'] },
  });
  expect(hook.status).toBe(201);
  for (let i = 0; i < 4; i++)
    await failing.api('POST', `/v1/accounts/${failing.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { identifier: unique('c') }, content: `lost ${i}` },
    });
  const policy = breakerPolicies.webhook;
  for (let i = 0; i < policy.failureThreshold; i++)
    await recordFailure(stack.sql, breaker, `h${i}`, 'receiver answered 503', policy);
  const settings = { heartbeatIntervalMs: 3_600_000, deadLetterRetentionDays: 30, assetGcIntervalMs: 21_600_000 };
  await ensureSchedules(stack.temporal, settings, await actorSecret(stack.sql));
  ui = await openConsole(stack);
  page = ui.page;
  letters = await until(
    'four dead letters',
    async () => {
      const listed = await ui.platform('GET', `/v1/dead-letters?accountId=${failing.accountId}`);
      return listed.body.payload?.length === 4 && listed.body.payload;
    },
    60_000,
  );
  await ui.signIn(stack.platformToken);
}, 240_000);

afterAll(async () => {
  await ui?.close();
  await receiver?.close();
  for (const id of ownedScheduleIds)
    await stack.temporal.schedule
      .getHandle(id)
      .delete()
      .catch(() => {});
});

/** UI and workflows on two shared cores: a minute before a wait gives up. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 60_000, interval: 200 });
const letterRow = (id: number) => page.locator(`li[data-letter="${id}"]`);
const letterOf = async (id: number) => (await ui.platform('GET', `/v1/dead-letters/${id}`)).body;
/** Answers the question that opened in `scope`: fills the reason when asked, then presses its "Yes". */
async function confirm(scope: ReturnType<Page['locator']>, yes: string, reason?: string) {
  const dialog = scope.getByRole('alertdialog');
  await dialog.waitFor();
  if (reason) await dialog.getByLabel(/^Reason/).fill(reason);
  await dialog.getByRole('button', { name: yes }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('the operator pages in a real browser', () => {
  it('searches dead letters by text and filters, and shows one input with secrets removed', async () => {
    await visit(ui, '/dead-letters', 'Dead letters');
    await page.getByLabel('Search').fill('answered 503');
    await page.getByLabel('Account id').fill(String(failing.accountId));
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.locator('li[data-letter]').count()).toBe(4);
    await page.getByLabel('Search').fill('ECONNRESET');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.getByText('No dead letters matching yet.').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.locator('li[data-letter]').count()).toBe(4);

    const first = letterRow(letters[0]!.id);
    await first.getByRole('button', { name: 'Show input' }).click();
    const input = first.getByLabel(`Input of letter ${letters[0]!.id}, secrets removed`);
    const deliveryId = letters[0]!.workflow_id.replace(/^delivery:/, '');
    await poll(() => input.textContent()).toContain(deliveryId);
    expect(await input.textContent()).not.toMatch(/whsec_|"secret"\s*:\s*"[^"[]/);
    violations.push(...(await ui.axe('dead-letters')));
    await ui.shot('dead-letters');
  });

  it('retries one letter, which then delivers', async () => {
    receiverUp = true;
    const { id } = letters[0]!;
    await letterRow(id).getByRole('button', { name: 'Retry' }).click();
    await confirm(letterRow(id), 'Yes, retry');
    await poll(() => page.getByRole('status').first().textContent()).toMatch(`Letter ${id} retried`);
    await poll(() => letterRow(id).count()).toBe(0); // the list shows open letters; it reloads on its own
    expect(await letterOf(id)).toMatchObject({ status: 'retried', retry: { by: expect.any(String) } });
    expect(await auditRow(ui, 'dead_letter.retry', id)).toMatchObject({ action: 'dead_letter.retry' });
    const deliveryId = letters[0]!.workflow_id.replace(/^delivery:/, '');
    await until('the retried delivery', () => accepted.includes(deliveryId), 30_000);
  });

  it('discards a letter with a reason', async () => {
    const { id } = letters[1]!;
    // Escape backs out of the question and gives focus back to its button.
    const discard = letterRow(id).getByRole('button', { name: 'Discard' });
    await discard.click();
    await letterRow(id).getByRole('alertdialog').waitFor();
    await poll(() => page.evaluate(() => Boolean(document.activeElement?.closest('[role="alertdialog"]')))).toBe(true);
    await page.keyboard.press('Escape');
    await poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Discard');
    await page.keyboard.press('Enter');
    const yes = letterRow(id).getByRole('button', { name: 'Yes, discard' });
    expect(await yes.isDisabled()).toBe(true); // no reason, no discard
    await confirm(letterRow(id), 'Yes, discard', 'customer closed the shop');
    await poll(async () => (await letterOf(id)).status).toBe('discarded');
    await poll(() => letterRow(id).count()).toBe(0);
    expect((await letterOf(id)).discard).toMatchObject({ reason: 'customer closed the shop' });
    expect((await auditRow(ui, 'dead_letter.discard', id))?.details).toMatchObject({
      reason: 'customer closed the shop',
    });
  });

  it('retries every open letter matching a filter, the count shown before', async () => {
    const bulk = page.getByRole('button', { name: 'Retry all matching…' });
    await bulk.click();
    const dialog = page.getByRole('alertdialog');
    await poll(() => dialog.textContent()).toContain('Retry 2 open letters matching this filter?');
    await ui.shot('dead-letters-bulk-question');
    await dialog.getByRole('button', { name: 'Yes, retry them' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toMatch(/Retried 2 letters .* 0 left/);
    for (const { id } of letters.slice(2)) {
      expect((await letterOf(id)).status).toBe('retried');
      expect(await auditRow(ui, 'dead_letter.retry', id)).toBeDefined();
    }
    await poll(() => page.locator('li[data-audit="dead_letter.retry"]').count()).toBeGreaterThanOrEqual(3);
    // The status filter: the three retried letters, and only them.
    await page.getByLabel('Status').selectOption('retried');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.locator('li[data-letter]').count()).toBe(3);
    expect(await page.locator('li[data-letter] .badge').allTextContents()).toEqual(['retried', 'retried', 'retried']);
  });

  it('shows a breaker open with its counts, and resets it with a reason', async () => {
    await visit(ui, '/breakers', 'Circuit breakers');
    const row = page.locator(`li[data-breaker="${breaker}"]`);
    expect(await row.locator('.badge').textContent()).toBe('open');
    expect(await row.textContent()).toContain(
      `totals: ${breakerPolicies.webhook.failureThreshold} failures, opened 1×`,
    );
    violations.push(...(await ui.axe('breakers')));
    await ui.shot('breakers');
    await row.getByRole('button', { name: 'Reset' }).click();
    await confirm(row, 'Yes, close it', 'host fixed by the customer');
    await poll(() => row.locator('.badge').textContent()).toBe('closed');
    const listed = await ui.platform('GET', '/v1/breakers');
    expect(listed.body.payload.find((b: { name: string }) => b.name === breaker).state).toBe('closed');
    expect((await auditRow(ui, 'breaker.reset', breaker))?.details).toMatchObject({
      reason: 'host fixed by the customer',
      before: 'open',
    });
  });

  it('pauses, unpauses, triggers and backfills a schedule', async () => {
    await visit(ui, '/schedules', 'Schedules');
    const id = DEAD_LETTER_RETENTION_SCHEDULE_ID;
    const row = page.locator(`li[data-schedule="${id}"]`);
    const described = async () =>
      (await ui.platform('GET', '/v1/schedules')).body.payload.find((s: { id: string }) => s.id === id);
    violations.push(...(await ui.axe('schedules')));

    await row.getByRole('button', { name: 'Pause' }).click();
    await confirm(row, 'Yes, pause', 'retention audit');
    await poll(async () => (await described()).paused).toBe(true);
    await poll(() => row.locator('.badge').textContent()).toBe('paused');
    expect((await auditRow(ui, 'schedule.pause', id))?.details).toMatchObject({ reason: 'retention audit' });

    await row.getByRole('button', { name: 'Unpause' }).click();
    await confirm(row, 'Yes, unpause');
    await poll(async () => (await described()).paused).toBe(false);
    expect(await auditRow(ui, 'schedule.unpause', id)).toBeDefined();

    const runsBefore = (await described()).recent_actions.length;
    await row.getByRole('button', { name: 'Trigger' }).click();
    await confirm(row, 'Yes, run it');
    // The page refreshes while the run starts: its count of recent runs grows without a reload.
    await poll(() => row.locator('[data-recent-count]').getAttribute('data-recent-count')).toBe(String(runsBefore + 1));
    expect(await auditRow(ui, 'schedule.trigger', id)).toBeDefined();

    await row.getByRole('button', { name: 'Backfill…' }).click();
    const dialog = row.getByRole('alertdialog');
    const local = (msAgo: number) =>
      new Date(Date.now() - msAgo - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await dialog.getByLabel('From').fill(local(3 * 86_400_000));
    await dialog.getByLabel('To').fill(local(86_400_000));
    await ui.shot('schedules-backfill-question');
    await confirm(row, 'Yes, backfill', 'missed while paused');
    const backfill = await auditRow(ui, 'schedule.backfill', id);
    expect(backfill?.details).toMatchObject({ reason: 'missed while paused', from: expect.any(String) });
    expect(Date.parse(String(backfill!.details.to)) - Date.parse(String(backfill!.details.from))).toBe(2 * 86_400_000);
    await ui.shot('schedules');
  });

  it('grants break glass with a countdown, extends it and revokes it', async () => {
    const grantee = await newAccount(stack, 'grantee');
    const [admin] = (await grantee.api('GET', `/v1/accounts/${grantee.accountId}/members`)).body.payload;
    await visit(ui, '/triage', 'Triage');
    violations.push(...(await ui.axe('triage')));
    // A refusal stays in the question, with the API's words, and nothing is granted.
    ui.expectAnswer(/^404 POST .*\/v1\/admin\/promotions$/);
    await page.getByLabel('Grantee email').fill('nobody@nowhere.test');
    await page.getByRole('button', { name: 'Grant break glass…' }).click();
    await page
      .getByRole('alertdialog')
      .getByLabel(/^Reason/)
      .fill('typo');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, grant it' }).click();
    await poll(() => page.getByRole('alertdialog').getByRole('alert').textContent()).toContain('nobody@nowhere.test');
    await page.getByRole('button', { name: 'No, keep it' }).click();
    expect((await ui.platform('GET', '/v1/admin/grants')).body.payload).toEqual([]);
    await page.getByLabel('Grantee email').fill(admin.email);
    await page.getByRole('button', { name: 'Grant break glass…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByLabel('For').selectOption('1h');
    await confirm(page.locator('main'), 'Yes, grant it', 'incident 42');
    const row = page.locator(`li[data-grantee="${admin.email}"]`).first();
    const grantId = Number(await row.getAttribute('data-grant'));
    const countdown = row.locator('.countdown');
    await poll(() => countdown.textContent()).toMatch(/^ends in 59 min \d\d s$/);
    const first = await countdown.textContent();
    await poll(() => countdown.textContent()).not.toBe(first); // it ticks
    const grant = async () => (await ui.platform('GET', `/v1/admin/grants/${grantId}`)).body;
    const granted = await grant();
    expect(granted).toMatchObject({ email: admin.email, reason: 'incident 42', ended_at: null });
    expect((await auditRow(ui, 'admin.promoted', grantId))?.details).toMatchObject({
      email: admin.email,
      reason: 'incident 42',
    });
    await ui.shot('triage-grant');

    await row.getByRole('button', { name: 'Extend…' }).click();
    await row.getByRole('alertdialog').getByLabel('By').selectOption('4h');
    await confirm(row, 'Yes, extend', 'incident runs long');
    await poll(async () => Date.parse((await grant()).expires_at) - Date.parse(granted.expires_at)).toBe(4 * 3_600_000);
    await poll(() => countdown.textContent()).toMatch(/^ends in 4 h 59 min/);
    expect(await auditRow(ui, 'admin.promotion_extended', grantId)).toBeDefined();

    await row.getByRole('button', { name: 'Revoke' }).click();
    await confirm(row, 'Yes, revoke', 'incident closed');
    await poll(async () => (await grant()).end_reason).toBe('revoked');
    await poll(() => row.locator('.badge').textContent()).toBe('revoked');
    expect(await auditRow(ui, 'admin.promotion_revoked', grantId)).toBeDefined();
  });

  it('forces a reset after a typed confirmation, issues the sign-in link, and explains the refused token', async () => {
    const victim = await newAccount(stack, 'reset');
    const [admin] = (await victim.api('GET', `/v1/accounts/${victim.accountId}/members`)).body.payload;
    await page.getByLabel('User email').fill(admin.email);
    await page.getByRole('button', { name: 'Force reset…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByLabel(/^Reason/).fill('laptop stolen');
    const yes = dialog.getByRole('button', { name: 'Yes, reset' });
    await dialog.getByLabel(/^Type/).fill('someone@else.test');
    expect(await yes.isDisabled()).toBe(true);
    await dialog.getByLabel(/^Type/).fill(admin.email);
    await yes.click();
    await poll(() => page.getByText(/1 token and 0 invitations revoked/).count()).toBe(1);
    const refused = await call(stack.api.url, 'GET', `/v1/accounts/${victim.accountId}`, { token: victim.adminToken });
    expect(refused.status).toBe(401);
    expect((await auditRow(ui, 'admin.force_reset', admin.user_id))?.details).toMatchObject({
      reason: 'laptop stolen',
      tokensRevoked: 1,
    });

    const card = page.locator(`[data-sign-in-link-for="${admin.email}"]`);
    await card.getByLabel('Account id').fill(String(victim.accountId));
    const since = stack.mail.mailbox.to(admin.email).length;
    await card.getByRole('button', { name: 'Issue sign-in link…' }).click();
    await confirm(card, 'Yes, issue it', 'after the reset');
    await card.locator('[data-sign-in-mailed]').waitFor();
    expect(await card.textContent()).not.toMatch(/sil_/);
    const secret = await mailedSignInToken(stack, admin.email, since);
    const redeemed = await call(stack.api.url, 'POST', '/v1/sign-in-links/redeem', { body: { token: secret } });
    expect(redeemed.status).toBe(201);
    expect(
      (await call(stack.api.url, 'GET', `/v1/accounts/${victim.accountId}`, { token: redeemed.body.access_token }))
        .status,
    ).toBe(200);
    expect(await auditRow(ui, 'sign_in_link.issued', admin.user_id)).toBeDefined();
    await ui.shot('triage-reset');

    const prefix = displayPrefix(victim.adminToken);
    await page.getByLabel('Token prefix').fill(prefix);
    await page.getByRole('button', { name: 'Explain' }).click();
    const diagnosis = page.locator('li[data-verdict]').first();
    await diagnosis.waitFor();
    const verdict = await diagnosis.getAttribute('data-verdict');
    expect(['revoked', 'credentials_reset']).toContain(verdict);
    expect(await diagnosis.locator('.explanation').textContent()).not.toBe('');
    const debugged = await ui.platform('GET', '/v1/audit_log?action=admin.debug_auth&limit=1');
    expect(debugged.body.payload[0].details.verdicts).toContainEqual({ prefix, verdict });
    violations.push(...(await ui.axe('triage-after')));
    await ui.shot('triage-debug-auth');
  });

  it('fits a 360 px screen on every operator page, without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const [route, title] of [
      ['/dead-letters', 'Dead letters'],
      ['/breakers', 'Circuit breakers'],
      ['/schedules', 'Schedules'],
      ['/triage', 'Triage'],
      ['/assets', 'Asset builds'],
    ]) {
      await visit(ui, route!, title!);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), route).toBeLessThanOrEqual(360);
    }
    await visit(ui, '/dead-letters', 'Dead letters');
    await ui.shot('dead-letters-360');
  });

  it('met no console error, failed request or serious accessibility violation', () => {
    expect(ui.problems).toEqual([]);
    expect(violations).toEqual([]);
  });
});
