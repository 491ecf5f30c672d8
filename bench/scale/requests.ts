import { randomUUID } from 'node:crypto';
import { contactByKeysQuery } from '../../db/contacts.ts';
import type { Sql } from '../../db/pool.ts';
import type { Facts } from '../../test/support/volume/facts.ts';

/** One measured operation: an API request (anything but its expected status fails the run) or, where no route exists yet, the query. */
export interface Probe {
  label: string;
  run: () => Promise<void>;
}

/** The reads and the append, against the largest account, its longest conversation and deep cursors. */
export function probes(api: string, token: string, sql: Sql, f: Facts): Probe[] {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const get = (label: string, path: string): Probe => ({
    label,
    run: async () => {
      const res = await fetch(`${api}${path}`, { headers });
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    },
  });
  const account = `/v1/accounts/${f.accountId}`;
  return [
    get('conversations ?status=snoozed, first page', `${account}/conversations?status=snoozed`),
    get(
      'conversations ?status=snoozed, deep cursor',
      `${account}/conversations?status=snoozed&cursor=${f.cursors.snoozed}`,
    ),
    get(
      'messages of the longest conversation, deep',
      `${account}/conversations/${f.conversation}/messages?cursor=${f.cursors.messages}`,
    ),
    {
      label: 'contact lookup of the message path (SQL)',
      run: async () => {
        await contactByKeysQuery(sql, f.accountId, { identifier: f.contactIdentifier });
      },
    },
    get('contact search', `${account}/contacts/search?q=${encodeURIComponent(f.contactSearch)}`),
    get('dead-letter text search', `/v1/dead-letters?q=${f.search}`),
    get('audit log, first page', `${account}/audit_log`),
    get('audit log, deep cursor', `${account}/audit_log?cursor=${f.cursors.audit}`),
    get("a webhook's deliveries, first page", `${account}/webhooks/${f.webhookId}/deliveries`),
    get(
      "a webhook's deliveries, deep cursor",
      `${account}/webhooks/${f.webhookId}/deliveries?cursor=${f.cursors.deliveries}`,
    ),
    get("platform's account list, first page", '/v1/accounts'),
    get("platform's account list, deep cursor", `/v1/accounts?cursor=${f.cursors.accounts}`),
    {
      label: 'message append, largest conversation',
      run: async () => {
        const path = `${account}/inboxes/${f.inboxId}/messages`;
        const res = await fetch(`${api}${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            contact: { identifier: f.contactIdentifier },
            content: 'bench',
            source_id: randomUUID(),
          }),
        });
        if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      },
    },
  ];
}
