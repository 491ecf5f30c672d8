import { useState } from 'preact/hooks';
import { send } from '../api.ts';
import { ConfirmButton, Outcome, usePolling } from '../actions.tsx';
import { Badge, ErrorBox, useGet, When, WorkflowLink } from '../components.tsx';
import { byWorkflowId } from '../workflows.ts';

interface Grant {
  grant_id: number;
  email: string;
  reason: string;
  granted_by: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
  workflow_id: string;
}

const TTLS = ['5m', '15m', '1h', '4h', '24h'];

/** `1 h 02 min 05 s` until `at`, from `now`; "ending" once it has passed and the timer's workflow has not yet run. */
export function countdown(at: string, now: number): string {
  const left = Math.max(0, Math.round((Date.parse(at) - now) / 1000));
  if (left === 0) return 'ending';
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h} h ${pad(m)} min ${pad(s)} s` : m ? `${m} min ${pad(s)} s` : `${s} s`;
}

function TtlField({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {TTLS.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Break-glass grants as the identity rules define them: the operator grants a user a while of super-admin power,
 * the grantee activates it with their own token (never here); a workflow's timer ends it. Revoke and extend act on
 * the grant in force.
 */
export function Grants({ onAudited }: { onAudited: () => void }) {
  const grants = useGet<{ payload: Grant[] }>('/v1/admin/grants');
  const [now, setNow] = useState(() => Date.now());
  const [outcome, setOutcome] = useState<string>();
  const [email, setEmail] = useState('');
  const [ttl, setTtl] = useState('1h');
  const [extendBy, setExtendBy] = useState('1h');
  const rows = grants.data?.payload ?? [];
  const inForce = (g: Grant) => g.ended_at === null;
  // The countdown ticks each second; the list is read again when a grant's end passes.
  usePolling(rows.some(inForce), () => {
    setNow(Date.now());
    if (rows.some((g) => inForce(g) && Date.parse(g.expires_at) <= Date.now())) grants.reload();
  });
  const done = (text: string) => (setOutcome(text), grants.reload(), onAudited());

  return (
    <section aria-labelledby="grants-title">
      <h2 id="grants-title">Break-glass grants</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Grantee email
          <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
      </form>
      <ConfirmButton
        label="Grant break glass…"
        danger
        reason="required"
        ready={/^[^\s@]+@[^\s@]+$/.test(email)}
        question={`Let ${email || 'this user'} activate super-admin power, with their own token, for a while?`}
        yes="Yes, grant it"
        onConfirm={async ({ reason }) => {
          const g = await send<Grant>('POST', '/v1/admin/promotions', { email: email.trim(), reason, ttl });
          done(
            `Grant ${g.grant_id} for ${g.email} until ${new Date(g.expires_at).toLocaleString()}; they activate it with their own token.`,
          );
        }}
      >
        <TtlField label="For" value={ttl} onChange={setTtl} />
      </ConfirmButton>
      <Outcome text={outcome} />
      <ErrorBox error={grants.error} />
      <ul class="rows" aria-label="Grants, newest first">
        {rows.map((g) => (
          <li key={g.grant_id} data-grant={g.grant_id} data-grantee={g.email}>
            <div class="row-head">
              <strong class="wrap">{g.email}</strong> <span class="muted">grant {g.grant_id}</span>{' '}
              <Badge value={g.ended_at ? (g.end_reason ?? 'ended') : 'in force'} />
            </div>
            <div class="row-meta">
              <span class="wrap">
                “{g.reason}”, by {g.granted_by}
              </span>
              {inForce(g) ? (
                <span class="countdown" role="timer" aria-live="off">
                  ends in {countdown(g.expires_at, now)}
                </span>
              ) : (
                <span>
                  ended <When at={g.ended_at} />
                </span>
              )}
              <WorkflowLink query={byWorkflowId(g.workflow_id)} label="Grant workflow" />
            </div>
            {inForce(g) && (
              <div class="buttons">
                <ConfirmButton
                  label="Extend…"
                  reason="required"
                  question={`Move the end of ${g.email}'s grant later?`}
                  yes="Yes, extend"
                  onConfirm={async ({ reason }) => {
                    const r = await send<Grant>('POST', `/v1/admin/promotions/${encodeURIComponent(g.email)}/extend`, {
                      reason,
                      ttl: extendBy,
                    });
                    done(`Grant ${r.grant_id} now ends ${new Date(r.expires_at).toLocaleString()}.`);
                  }}
                >
                  <TtlField label="By" value={extendBy} onChange={setExtendBy} />
                </ConfirmButton>
                <ConfirmButton
                  label="Revoke"
                  danger
                  reason="required"
                  question={`End ${g.email}'s grant now? Their break-glass token stops at once.`}
                  yes="Yes, revoke"
                  onConfirm={async ({ reason }) => {
                    const r = await send<Grant>('POST', `/v1/admin/promotions/${encodeURIComponent(g.email)}/revoke`, {
                      reason,
                    });
                    done(`Grant ${r.grant_id} revoked.`);
                  }}
                />
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
