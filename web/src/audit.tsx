import { useEffect } from 'preact/hooks';
import { withQuery } from './api.ts';
import { ErrorBox, useGet, useSettings, When } from './components.tsx';
import { operatorMay } from './workflows.ts';

export interface AuditRow {
  id: number;
  account_id: number | null;
  action: string;
  actor_type: string;
  actor_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown>;
  workflow_id: string | null;
  created_at: string;
}

interface TrailProps {
  action: string;
  version: number;
  title?: string;
}

/** The newest audit rows of a kind of action (`breaker.`): the record each action of the page leaves. */
export function AuditTrail(props: TrailProps) {
  // The installation's audit log is read with platform:admin; a token without it sees no trail, and no 403.
  return operatorMay(useSettings(), 'platform:admin') ? <Trail {...props} /> : null;
}

function Trail({ action, version, title = 'Audit log' }: TrailProps) {
  const rows = useGet<{ payload: AuditRow[] }>(withQuery('/v1/audit_log', { action, limit: 5 }));
  const { reload } = rows;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const list = rows.data?.payload ?? [];
  return (
    <section class="audit" aria-label={title}>
      <h2>{title}</h2>
      <ErrorBox error={rows.error} />
      {rows.data && list.length === 0 && <p class="muted">Nothing recorded yet.</p>}
      <ol class="rows">
        {list.map((r) => (
          <li key={r.id} data-audit={r.action}>
            <div class="row-head">
              <code>{r.action}</code> {r.subject_type} {r.subject_id}
            </div>
            <div class="row-meta">
              <When at={r.created_at} />
              <span>
                by {r.actor_type} {r.actor_id}
              </span>
              {typeof r.details.reason === 'string' && <span class="wrap">“{r.details.reason}”</span>}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
