import { withQuery } from '../api.ts';
import { Badge, Empty, ErrorBox, MoreButton, Page, useGet, usePages, When, WorkflowLink } from '../components.tsx';
import { byWorkflowId } from '../workflows.ts';

interface Licence {
  installation_id: string;
  status: string;
  plan: string;
  customer: string | null;
  seats: { used: number; allowed: number | null };
  features: string[];
  expires_at: string | null;
  heartbeat: { interval_ms: number; last_at: string | null; last_outcome: string | null; next_at: string | null };
}

interface Heartbeat {
  id: number;
  at: string;
  attempt: number;
  outcome: string;
  server_status: string | null;
  http_status: number | null;
  latency_ms: number;
  error: string | null;
  workflow_id: string;
}

export function LicencePage() {
  const { data: l, error } = useGet<Licence>('/v1/license');
  const beats = usePages<Heartbeat>((cursor) => withQuery('/v1/license/heartbeats', { cursor, limit: 20 }), 'beats');
  return (
    <Page title="Licence">
      <ErrorBox error={error} />
      {l && (
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <Badge value={l.status} />
          </dd>
          <dt>Plan</dt>
          <dd>
            {l.plan}
            {l.customer && <span class="muted"> for {l.customer}</span>}
          </dd>
          <dt>Seats</dt>
          <dd>
            {l.seats.used} used{l.seats.allowed === null ? '' : ` of ${l.seats.allowed}`}
          </dd>
          <dt>Features</dt>
          <dd>{l.features.length ? l.features.join(', ') : 'none'}</dd>
          <dt>Expires</dt>
          <dd>
            <When at={l.expires_at} />
          </dd>
          <dt>Next heartbeat</dt>
          <dd>
            <When at={l.heartbeat.next_at} />
          </dd>
          <dt>Installation</dt>
          <dd class="wrap">{l.installation_id}</dd>
        </dl>
      )}
      <h2>Heartbeats</h2>
      <ErrorBox error={beats.error} />
      <Empty loaded={beats.loaded} count={beats.items.length} what="heartbeats" />
      <ol class="rows" aria-label="Heartbeats, newest first">
        {beats.items.map((h) => (
          <li key={h.id} data-heartbeat={h.id}>
            <div class="row-head">
              <When at={h.at} /> <Badge value={h.outcome} />
              {h.server_status && <span class="muted"> server: {h.server_status}</span>}
            </div>
            <div class="row-meta">
              <span>attempt {h.attempt}</span>
              <span>{h.http_status === null ? 'no answer' : `HTTP ${h.http_status}`}</span>
              <span>{h.latency_ms} ms</span>
              {h.error && <span class="error wrap">{h.error}</span>}
              <WorkflowLink query={byWorkflowId(h.workflow_id)} />
            </div>
          </li>
        ))}
      </ol>
      <MoreButton pages={beats} label="Older heartbeats" />
    </Page>
  );
}
