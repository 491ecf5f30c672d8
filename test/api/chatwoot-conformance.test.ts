/**
 * Capstan's Chatwoot door against Chatwoot's published contract (test/fixtures/chatwoot): for each implemented
 * operation, the status Chatwoot answers and every property its shape lists, with its type, on the real stack.
 * Adding an operation is adding a row; `differences` are Capstan's deliberate departures (docs/chatwoot-api.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationApi, type OperationId } from '../fixtures/chatwoot/application-api.ts';
import { conformance, type Difference } from '../support/chatwoot-shapes.ts';
import { join, newAccount, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

interface World {
  account: AccountFixture;
  base: string;
  agentId: number;
  leaverId: number;
  inboxId: number;
  displayId: number;
  webhookId: number;
  hookUrl: string;
  contactId: number;
  mergeeId: number;
  doomedId: number;
  replyId: number;
}

interface Row {
  op: OperationId;
  request: (w: World) => { path: string; body?: unknown };
  differences?: Record<string, Difference>;
}

/** In order: later rows change what earlier ones read. */
const rows: Row[] = [
  {
    op: 'fetchProfile',
    request: () => ({ path: '/api/v1/profile' }),
    differences: { access_token: 'absent', pubsub_token: 'absent', hmac_identifier: 'absent' },
  },
  { op: 'get-account-agents', request: (w) => ({ path: `${w.base}/agents` }) },
  {
    op: 'add-new-agent-to-account',
    request: (w) => ({
      path: `${w.base}/agents`,
      body: { name: 'Bea', email: `${unique('bea')}@example.test`, role: 'agent' },
    }),
    differences: { id: 'null' },
  },
  {
    op: 'update-agent-in-account',
    request: (w) => ({ path: `${w.base}/agents/${w.agentId}`, body: { role: 'administrator' } }),
  },
  { op: 'delete-agent-from-account', request: (w) => ({ path: `${w.base}/agents/${w.leaverId}` }) },
  { op: 'listAllInboxes', request: (w) => ({ path: `${w.base}/inboxes` }) },
  { op: 'GetInbox', request: (w) => ({ path: `${w.base}/inboxes/${w.inboxId}` }) },
  {
    op: 'inboxCreation',
    request: (w) => ({
      path: `${w.base}/inboxes`,
      body: { name: 'Second API', channel: { type: 'api', webhook_url: w.hookUrl } },
    }),
  },
  {
    op: 'updateInbox',
    request: (w) => ({
      path: `${w.base}/inboxes/${w.inboxId}`,
      body: { name: 'Shop API (renamed)', channel: { webhook_url: w.hookUrl } },
    }),
  },
  {
    op: 'newConversation',
    request: (w) => ({
      path: `${w.base}/conversations`,
      body: { inbox_id: w.inboxId, contact_id: w.contactId, message: { content: 'Following up on your order.' } },
    }),
  },
  {
    op: 'update-conversation',
    request: (w) => ({ path: `${w.base}/conversations/${w.displayId}`, body: { priority: 'high' } }),
  },
  {
    op: 'update-a-message',
    request: (w) => ({
      path: `${w.base}/conversations/${w.displayId}/messages/${w.replyId}`,
      body: { status: 'read' },
    }),
  },
  {
    op: 'delete-a-message',
    request: (w) => ({ path: `${w.base}/conversations/${w.displayId}/messages/${w.replyId}` }),
  },
  { op: 'conversationList', request: (w) => ({ path: `${w.base}/conversations?status=all` }) },
  { op: 'get-details-of-a-conversation', request: (w) => ({ path: `${w.base}/conversations/${w.displayId}` }) },
  {
    op: 'create-a-new-message-in-a-conversation',
    request: (w) => ({
      path: `${w.base}/conversations/${w.displayId}/messages`,
      body: { content: 'Any news?', message_type: 'incoming' },
    }),
  },
  {
    op: 'create-a-new-message-in-a-conversation',
    request: (w) => ({
      path: `${w.base}/conversations/${w.displayId}/messages`,
      body: { content: 'On its way.', message_type: 'outgoing' },
    }),
  },
  {
    op: 'create-a-new-message-in-a-conversation',
    request: (w) => ({
      path: `${w.base}/conversations/${w.displayId}/messages`,
      body: { content: 'Checked the depot.', private: true },
    }),
  },
  {
    op: 'assign-a-conversation',
    request: (w) => ({ path: `${w.base}/conversations/${w.displayId}/assignments`, body: { assignee_id: w.agentId } }),
  },
  {
    op: 'conversation-add-labels',
    request: (w) => ({ path: `${w.base}/conversations/${w.displayId}/labels`, body: { labels: ['vip', 'billing'] } }),
  },
  {
    op: 'list-all-labels-of-a-conversation',
    request: (w) => ({ path: `${w.base}/conversations/${w.displayId}/labels` }),
  },
  { op: 'list-all-messages', request: (w) => ({ path: `${w.base}/conversations/${w.displayId}/messages` }) },
  {
    op: 'toggle-status-of-a-conversation',
    request: (w) => ({ path: `${w.base}/conversations/${w.displayId}/toggle_status`, body: { status: 'resolved' } }),
  },
  {
    op: 'toggle-status-of-a-conversation',
    request: (w) => ({
      path: `${w.base}/conversations/${w.displayId}/toggle_status`,
      body: { status: 'snoozed', snoozed_until: Math.floor(Date.now() / 1000) + 3600 },
    }),
  },
  { op: 'contactList', request: (w) => ({ path: `${w.base}/contacts` }) },
  { op: 'contactSearch', request: (w) => ({ path: `${w.base}/contacts/search?q=cust` }) },
  { op: 'contactDetails', request: (w) => ({ path: `${w.base}/contacts/${w.contactId}` }) },
  {
    op: 'contactCreate',
    request: () => ({
      path: `/api/v1/accounts/${w.account.accountId}/contacts`,
      body: { name: 'Carla', inbox_id: w.inboxId },
    }),
  },
  {
    op: 'contactUpdate',
    request: (w) => ({ path: `${w.base}/contacts/${w.contactId}`, body: { phone_number: '+15550100' } }),
  },
  { op: 'contactConversations', request: (w) => ({ path: `${w.base}/contacts/${w.contactId}/conversations` }) },
  {
    op: 'contactMerge',
    request: (w) => ({
      path: `${w.base}/actions/contact_merge`,
      body: { base_contact_id: w.contactId, mergee_contact_id: w.mergeeId },
    }),
  },
  { op: 'contactDelete', request: (w) => ({ path: `${w.base}/contacts/${w.doomedId}` }) },
  { op: 'list-all-webhooks', request: (w) => ({ path: `${w.base}/webhooks` }) },
  {
    op: 'create-a-webhook',
    request: (w) => ({
      path: `${w.base}/webhooks`,
      body: { webhook: { url: `${w.hookUrl}/second`, subscriptions: ['message_created'] } },
    }),
  },
  {
    op: 'update-a-webhook',
    request: (w) => ({
      path: `${w.base}/webhooks/${w.webhookId}`,
      body: { subscriptions: ['message_created', 'contact_created'] },
    }),
  },
  { op: 'delete-a-webhook', request: (w) => ({ path: `${w.base}/webhooks/${w.webhookId}` }) },
];

let w: World;
const door = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { headers: { api_access_token: w.account.adminToken }, body });

beforeAll(async () => {
  const receiver = await startReceiver();
  const account = await newAccount(stack, 'cw-conformance');
  const base = `/api/v1/accounts/${account.accountId}`;
  w = { account, base, hookUrl: receiver.url } as World;
  w.agentId = (await join(stack, account, 'agent')).userId;
  w.leaverId = (await join(stack, account, 'agent')).userId;
  const inbox = await door('POST', `${base}/inboxes`, { name: 'Shop API', channel: { type: 'api' } });
  expect(inbox.status, JSON.stringify(inbox.body)).toBe(200);
  w.inboxId = inbox.body.id;
  const posted = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${w.inboxId}/messages`, {
    body: { contact: { identifier: unique('cust'), name: 'Ana' }, content: 'Where is my order?' },
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  w.displayId = posted.body.conversation_id;
  w.contactId =
    posted.body.contact_id ?? (await door('GET', `${base}/conversations/${w.displayId}`)).body.meta.sender.id;
  // Each through a message, so each has the inbox Chatwoot's contact_inboxes lists.
  const made = async (name: string) => {
    const m = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${w.inboxId}/messages`, {
      body: { contact: { identifier: unique('other'), name }, content: 'Hello' },
    });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    return (await door('GET', `${base}/conversations/${m.body.conversation_id}`)).body.meta.sender.id as number;
  };
  w.mergeeId = await made('Ana (duplicate)');
  w.doomedId = await made('Gone');
  const hook = await door('POST', `${base}/webhooks`, { url: receiver.url, subscriptions: ['message_created'] });
  expect(hook.status, JSON.stringify(hook.body)).toBe(200);
  w.webhookId = hook.body.payload.webhook.id;
  const reply = await door('POST', `${base}/conversations/${w.displayId}/messages`, { content: 'Noted.' });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  w.replyId = reply.body.id;
  return receiver.close;
});

describe("Chatwoot's Application API, operation by operation", () => {
  it.each(rows.map((r) => [r.op, r] as const))(
    '%s answers its status and every property of its shape',
    async (_, row) => {
      const op = applicationApi[row.op];
      const { path, body } = row.request(w);
      const answer = await door(
        op.method,
        path,
        body ?? (op.method === 'GET' || op.method === 'DELETE' ? undefined : {}),
      );
      expect(conformance(op, answer, row.differences)).toEqual([]);
    },
  );

  it('covers with a row every operation of the fixture', () => {
    const rowed = new Set<string>(rows.map((r) => r.op));
    const uncovered = Object.keys(applicationApi).filter((op) => !rowed.has(op));
    expect(uncovered).toEqual([]);
  });
});
