import { demoAccounts, demoLicence, type DemoAccount } from './data.ts';

export interface SeedOptions {
  /** The API, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  platformToken: string;
  /** Where the demo webhooks deliver (loopback must be allowed). */
  webhookUrl: string;
  /** A licence key for this installation, signed by a vendor it trusts; no licence is installed without one. */
  licenceKey?: (request: { installationId: string } & typeof demoLicence) => Promise<string>;
  log?: (line: string) => void;
}

export interface SeedResult {
  accounts: { key: string; id: number; inboxId: number; webhookId: number }[];
  created: number;
}

type Answer = { status: number; body: any };

/**
 * Demo data through the API, so every row is made by the workflow that makes it in production.
 * Each thing is looked up first and created with a stable Idempotency-Key (messages with a stable
 * source_id) when missing, so a second run creates nothing.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  let created = 0;
  const call = async (method: string, path: string, body?: unknown, key?: string): Promise<Answer> => {
    const res = await fetch(`${options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.platformToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = { status: res.status, body: await res.json().catch(() => ({})) };
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${answer.body.detail ?? answer.body.title ?? ''}`);
    if (res.status === 201) created += 1;
    return answer;
  };
  const list = async (path: string): Promise<any[]> => (await call('GET', path)).body.payload;

  // Keys name this installation: a database reset under a Temporal that remembers the old runs must not replay them.
  const licence = (await call('GET', '/v1/license')).body;
  const installation: string = licence.installation_id;
  const keyOf = (what: string) => `demo:${installation}:${what}`;
  const accounts: SeedResult['accounts'] = [];
  const existing = await allAccounts(list);
  for (const demo of demoAccounts) {
    const id = existing.get(demo.name) ?? (await provision(call, demo, keyOf(`account:${demo.key}`)));
    const base = `/v1/accounts/${id}`;
    const members = await list(`${base}/members`);
    for (const m of demo.members)
      if (!members.some((row) => row.email === m.email))
        await call('POST', `${base}/members`, m, keyOf(`member:${m.email}`));
    const invitations = await list(`${base}/invitations`);
    for (const i of demo.invitations)
      if (!invitations.some((row) => row.email === i.email))
        await call('POST', `${base}/invitations`, i, keyOf(`invitation:${i.email}`));
    const inboxId =
      (await list(`${base}/inboxes`)).find((row) => row.name === demo.inbox)?.id ??
      (await call('POST', `${base}/inboxes`, { name: demo.inbox }, keyOf(`inbox:${demo.key}`))).body.id;
    // Before the messages, so their events are delivered and the console has attempts to show.
    const webhookId =
      (await list(`${base}/webhooks`)).find((row) => row.name === demo.webhook.name)?.id ??
      (
        await call(
          'POST',
          `${base}/webhooks`,
          { ...demo.webhook, url: options.webhookUrl },
          keyOf(`webhook:${demo.key}`),
        )
      ).body.id;
    for (const [c, conversation] of demo.conversations.entries())
      for (const [m, content] of conversation.messages.entries())
        await call('POST', `${base}/inboxes/${inboxId}/messages`, {
          contact: conversation.contact,
          content,
          source_id: `demo-${installation.slice(0, 8)}-${demo.key}-${c}-${m}`,
        });
    accounts.push({ key: demo.key, id, inboxId, webhookId });
    log(`account ${demo.name} (${id}): members, invitations, inbox, webhook and messages in place`);
  }

  if (options.licenceKey) {
    if (licence.customer === demoLicence.customer && ['VALID', 'GRACE'].includes(licence.status))
      log(`licence: ${licence.plan} for ${licence.customer} already installed`);
    else {
      const key = await options.licenceKey({ installationId: licence.installation_id, ...demoLicence });
      await call('PUT', '/v1/license', { key });
      created += 1;
      log(`licence: ${demoLicence.plan} for ${demoLicence.customer} installed`);
    }
  }
  return { accounts, created };
}

async function allAccounts(list: (path: string) => Promise<any[]>): Promise<Map<string, number>> {
  const byName = new Map<string, number>();
  for (const row of await list('/v1/accounts?limit=100')) if (!byName.has(row.name)) byName.set(row.name, row.id);
  return byName;
}

async function provision(
  call: (method: string, path: string, body?: unknown, key?: string) => Promise<Answer>,
  demo: DemoAccount,
  key: string,
): Promise<number> {
  const answer = await call('POST', '/v1/accounts', { name: demo.name, admin: demo.admin }, key);
  return answer.body.account.id;
}
