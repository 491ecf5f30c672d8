import { withQuery } from '../api.ts';
import { Badge, Empty, ErrorBox, MoreButton, Page, useGet, usePages, When, WorkflowLink } from '../components.tsx';
import { byAccount, byWorkflowId } from '../workflows.ts';

interface Webhook {
  id: number;
  name: string | null;
  url: string;
  subscriptions: string[];
  status: string;
  disabled_reason: string | null;
}

interface Delivery {
  id: string;
  event: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  workflow_id: string;
}

export function Webhooks({ accountId }: { accountId: number }) {
  const webhooks = useGet<{ payload: Webhook[] }>(`/v1/accounts/${accountId}/webhooks`);
  const rows = webhooks.data?.payload ?? [];
  return (
    <Page title={`Webhooks of account ${accountId}`}>
      <ErrorBox error={webhooks.error} />
      <Empty loaded={webhooks.data !== undefined} count={rows.length} what="webhooks" />
      {rows.map((w) => (
        <article key={w.id} class="card" data-webhook={w.name ?? w.id} aria-labelledby={`webhook-${w.id}`}>
          <h2 id={`webhook-${w.id}`}>
            {w.name || `Webhook ${w.id}`} <Badge value={w.status} />
          </h2>
          <p class="wrap">{w.url}</p>
          <p class="row-meta">
            <span>Subscribed to {w.subscriptions.join(', ')}</span>
            {w.disabled_reason && <span class="error">{w.disabled_reason}</span>}
            <WorkflowLink query={byAccount(accountId, 'deliverWebhook')} label="Delivery workflows" />
          </p>
          <Deliveries accountId={accountId} webhookId={w.id} />
        </article>
      ))}
    </Page>
  );
}

function Deliveries({ accountId, webhookId }: { accountId: number; webhookId: number }) {
  const base = `/v1/accounts/${accountId}/webhooks/${webhookId}/deliveries`;
  const pages = usePages<Delivery>((cursor) => withQuery(base, { cursor, limit: 10 }), base);
  return (
    <>
      <h3>Deliveries</h3>
      <ErrorBox error={pages.error} />
      <Empty loaded={pages.loaded} count={pages.items.length} what="deliveries" />
      <ul class="rows" aria-label={`Deliveries of webhook ${webhookId}`}>
        {pages.items.map((d) => (
          <li key={d.id} data-delivery={d.id}>
            <div class="row-head">
              <a href={`#/accounts/${accountId}/webhooks/${webhookId}/deliveries/${d.id}`}>{d.event}</a>{' '}
              <Badge value={d.status} />
            </div>
            <div class="row-meta">
              <span>
                {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
              </span>
              <When at={d.created_at} />
              {d.last_error && <span class="error wrap">{d.last_error}</span>}
              <WorkflowLink query={byWorkflowId(d.workflow_id)} />
            </div>
          </li>
        ))}
      </ul>
      <MoreButton pages={pages} label="More deliveries" />
    </>
  );
}
