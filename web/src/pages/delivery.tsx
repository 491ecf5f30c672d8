import { Badge, ErrorBox, Page, useGet, When, WorkflowLink } from '../components.tsx';
import { byWorkflowId } from '../workflows.ts';

interface Attempt {
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  started_at: string;
}

interface DeliveryDetail {
  id: string;
  event: string;
  status: string;
  attempts: number;
  payload: unknown;
  created_at: string;
  finished_at: string | null;
  workflow_id: string;
  attempts_log: Attempt[];
}

/** One delivery with every attempt the worker made, and the exact payload it sent. */
export function Delivery(props: { accountId: number; webhookId: number; deliveryId: string }) {
  const { accountId, webhookId, deliveryId } = props;
  const { data, error } = useGet<DeliveryDetail>(
    `/v1/accounts/${accountId}/webhooks/${webhookId}/deliveries/${encodeURIComponent(deliveryId)}`,
  );
  return (
    <Page title={data ? `Delivery of ${data.event}` : 'Delivery'}>
      <p>
        <a href={`#/accounts/${accountId}/webhooks`}>← Webhooks</a>
      </p>
      <ErrorBox error={error} />
      {data && (
        <>
          <p class="row-meta">
            <Badge value={data.status} />
            <span class="wrap">Id {data.id}</span>
            <span>
              Created <When at={data.created_at} />, finished <When at={data.finished_at} />
            </span>
            <WorkflowLink query={byWorkflowId(data.workflow_id)} />
          </p>
          <h2>Attempts</h2>
          <ol class="rows" aria-label="Attempts">
            {data.attempts_log.map((a) => (
              <li key={a.attempt} data-attempt={a.attempt}>
                <div class="row-head">
                  Attempt {a.attempt}: {a.status_code === null ? 'no answer' : `HTTP ${a.status_code}`}
                </div>
                <div class="row-meta">
                  <When at={a.started_at} />
                  <span>{a.duration_ms} ms</span>
                  {a.error && <span class="error wrap">{a.error}</span>}
                </div>
              </li>
            ))}
          </ol>
          <h2>Payload</h2>
          <pre class="payload" tabIndex={0} aria-label="Payload">
            {JSON.stringify(data.payload, null, 2)}
          </pre>
        </>
      )}
    </Page>
  );
}
