import { useState } from 'preact/hooks';
import { send } from '../api.ts';
import { ConfirmButton, Outcome } from '../actions.tsx';
import { AuditTrail } from '../audit.tsx';
import { Badge, ErrorBox, Page } from '../components.tsx';
import { Grants } from './grants.tsx';

interface Diagnosis {
  prefix: string | null;
  verdict: string;
  explanation: string;
  owner: { type: string; id: number } | null;
  account_id: number | null;
  role: string | null;
  super_admin: boolean;
  scopes: string[];
}

export function Triage() {
  const [version, setVersion] = useState(0);
  const audited = () => setVersion((n) => n + 1);
  return (
    <Page title="Triage">
      <DebugAuth onAudited={audited} />
      <Grants onAudited={audited} />
      <ForceReset onAudited={audited} />
      <AuditTrail action="admin." version={version} title="Audit log of triage" />
    </Page>
  );
}

/** Explains a refused token from its prefix (what the 401 or 403 showed); changes nothing, and is audited. */
function DebugAuth({ onAudited }: { onAudited: () => void }) {
  const [token, setToken] = useState('');
  const [accountId, setAccountId] = useState('');
  const [scope, setScope] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [diagnoses, setDiagnoses] = useState<Diagnosis[]>();
  const explain = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await send<{ payload: Diagnosis[] }>('POST', '/v1/admin/debug-auth', {
        token: token.trim(),
        ...(accountId && { account_id: Number(accountId) }),
        ...(scope.trim() && { required_scope: scope.trim() }),
      });
      setDiagnoses(answer.payload);
      onAudited();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="debug-title">
      <h2 id="debug-title">Why is a token refused?</h2>
      <form class="filters" onSubmit={(e) => void explain(e)}>
        <label>
          Token prefix
          <input
            value={token}
            autoComplete="off"
            placeholder="cap_1a2b3c4d"
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        <label>
          Account id (optional)
          <input inputMode="numeric" value={accountId} onInput={(e) => setAccountId(e.currentTarget.value)} />
        </label>
        <label>
          Scope the route needs (optional)
          <input value={scope} placeholder="conversations:write" onInput={(e) => setScope(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy || token.trim().length < 4}>
          {busy ? 'Explaining…' : 'Explain'}
        </button>
      </form>
      <ErrorBox error={error} />
      {diagnoses && (
        <ul class="rows" aria-label="Diagnoses" aria-live="polite">
          {diagnoses.length === 0 && <li>No token has this prefix.</li>}
          {diagnoses.map((d, i) => (
            <li key={i} data-verdict={d.verdict}>
              <div class="row-head">
                <code>{d.prefix ?? 'the token'}</code> <Badge value={d.verdict} />
              </div>
              <p class="explanation">{d.explanation}</p>
              <div class="row-meta">
                {d.owner && (
                  <span>
                    {d.owner.type} {d.owner.id}
                  </span>
                )}
                {d.account_id !== null && <span>account {d.account_id}</span>}
                {d.role && <span>{d.role}</span>}
                {d.super_admin && <span>break glass in force</span>}
                <span class="wrap">scopes: {d.scopes.join(', ') || 'none'}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Revokes every credential of a user; the way back is a one-time sign-in link handed to that user alone. */
function ForceReset({ onAudited }: { onAudited: () => void }) {
  const [email, setEmail] = useState('');
  const [outcome, setOutcome] = useState<string>();
  const [resetFor, setResetFor] = useState<string>();
  return (
    <section aria-labelledby="reset-title">
      <h2 id="reset-title">Force a credential reset</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          User email
          <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
      </form>
      <ConfirmButton
        label="Force reset…"
        danger
        reason="required"
        typed={email.trim()}
        ready={/^[^\s@]+@[^\s@]+$/.test(email)}
        question={`Revoke every token of ${email || 'this user'}, their pending invitations and any break-glass grant?`}
        yes="Yes, reset"
        onConfirm={async ({ reason }) => {
          const r = await send<{
            email: string;
            tokens_revoked: number;
            invitations_revoked: number;
            promotion_ended: boolean;
          }>('POST', '/v1/admin/force-reset', { email: email.trim(), reason });
          setOutcome(
            `${r.email}: ${r.tokens_revoked} token${r.tokens_revoked === 1 ? '' : 's'} and ${r.invitations_revoked} invitation${r.invitations_revoked === 1 ? '' : 's'} revoked${r.promotion_ended ? ', grant ended' : ''}.`,
          );
          setResetFor(r.email);
          onAudited();
        }}
      />
      <Outcome text={outcome} />
      {resetFor && <SignInLink email={resetFor} onAudited={onAudited} />}
    </section>
  );
}

function SignInLink({ email, onAudited }: { email: string; onAudited: () => void }) {
  const [accountId, setAccountId] = useState('');
  const [link, setLink] = useState<{ expires_at: string }>();
  return (
    <div class="card" data-sign-in-link-for={email}>
      <h3>Sign-in link for {email}</h3>
      <p class="muted">
        A one-time link, for one account, that {email} redeems for a token of their own. It is mailed to that address;
        nobody else sees it.
      </p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Account id
          <input inputMode="numeric" value={accountId} onInput={(e) => setAccountId(e.currentTarget.value)} />
        </label>
      </form>
      <ConfirmButton
        label="Issue sign-in link…"
        reason="required"
        ready={/^[1-9][0-9]*$/.test(accountId)}
        question={`Issue a 30-minute sign-in link for ${email} in account ${accountId || '?'}?`}
        yes="Yes, issue it"
        onConfirm={async ({ reason }) => {
          setLink(await send('POST', '/v1/admin/sign-in-links', { email, account_id: Number(accountId), reason }));
          onAudited();
        }}
      />
      {link && (
        <p role="status" data-sign-in-mailed>
          Mailed to {email}; it works once, until {new Date(link.expires_at).toLocaleString()}.
        </p>
      )}
    </div>
  );
}
