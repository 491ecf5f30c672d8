import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { invite, newAccount } from '../support/fixtures.ts';
import { historyText } from '../support/history-text.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

/**
 * The class behind issue 20's escalation: whoever invites an email must not hold the link that
 * email's owner uses to join. If they did, an administrator could accept it in the owner's name:
 * for an address with no user yet, they would make that user themselves (squatting the email, and
 * every later invitation to it), for an existing one they would hold a credential of another person.
 * The rule: the link exists in one place outside the database's hash, the invited address's mail.
 */
describe('an invitation link reaches the invited address and nobody else', () => {
  it("an administrator who invites an unused email cannot become that email's user", async () => {
    const a = await newAccount(stack, 'squatter');
    const email = `${unique('newcomer')}@example.test`;
    const { invitation, token: link } = await invite(stack, a, email);

    // What the inviter sees — the answer, a replay of it, the list — holds no link.
    const answers = [
      invitation,
      (await a.api('GET', `/v1/accounts/${a.accountId}/invitations`)).body,
      (await a.api('GET', `/v1/accounts/${a.accountId}/audit_log`)).body,
    ];
    for (const answer of answers) {
      expect(JSON.stringify(answer)).not.toContain(link);
      expect(JSON.stringify(answer)).not.toMatch(/inv_[A-Za-z0-9_-]{43}/);
    }
    // Nor does any run's history: the secret is made inside the mail activity and only its hash is stored.
    const mailRun = workflows.mailInvitation.id({ invitationId: invitation.id });
    const inviteRun = (
      await stack.sql<{ workflow_id: string }[]>`select workflow_id from invitations where id = ${invitation.id}`
    )[0]!.workflow_id;
    for (const run of [inviteRun, mailRun]) expect(await historyText(stack, run)).not.toContain(link);
    const [stored] = await stack.sql<{ token_sha256: string }[]>`
      select token_sha256 from invitations where id = ${invitation.id}`;
    expect(stored!.token_sha256).not.toContain(link.slice(4));

    // The one mail went to the invited address, not to the administrator.
    expect(stack.mail.mailbox.mails.filter((m) => m.text.includes(link)).map((m) => m.to)).toEqual([[email]]);

    // The owner of the address joins with it, under the name they choose.
    const joined = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: link, name: 'The real newcomer' },
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    const [user] = await stack.sql<{ name: string }[]>`select name from users where lower(email) = ${email}`;
    expect(user!.name).toBe('The real newcomer');
  });

  it("Chatwoot's add-agent door answers without the link as well", async () => {
    const a = await newAccount(stack, 'squatter');
    const email = `${unique('agent')}@example.test`;
    const added = await call(stack.api.url, 'POST', `/api/v1/accounts/${a.accountId}/agents`, {
      headers: { api_access_token: a.adminToken },
      body: { name: 'Agent', email, role: 'agent' },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const mail = await stack.mail.mailbox.waitFor(email);
    const link = /inv_[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    expect(JSON.stringify(added.body)).not.toContain(link);
    expect(added.body.invitation.accept_token).toBeUndefined();
  });

  it('a second invitation to the same address replaces the first link: the old one no longer works', async () => {
    const a = await newAccount(stack, 'squatter');
    const email = `${unique('twice')}@example.test`;
    const first = await invite(stack, a, email);
    const second = await invite(stack, a, email);
    expect(second.token).not.toBe(first.token);
    const stale = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: first.token, name: 'Old link' },
    });
    expect(stale.status, JSON.stringify(stale.body)).toBe(404);
    const fresh = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: second.token, name: 'New link' },
    });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
  });
});
