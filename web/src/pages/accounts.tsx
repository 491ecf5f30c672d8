import { useState } from 'preact/hooks';
import { send, withQuery } from '../api.ts';
import { ConfirmButton, Outcome } from '../actions.tsx';
import { AuditTrail } from '../audit.tsx';
import { Badge, Empty, ErrorBox, MoreButton, Page, usePages, useSettings, When, WorkflowLink } from '../components.tsx';
import { byAccount } from '../workflows.ts';

interface Account {
  id: number;
  name: string;
  locale: string;
  status: string;
  created_at: string;
}

export function Accounts() {
  const pages = usePages<Account>((cursor) => withQuery('/v1/accounts', { cursor, limit: 25 }), 'accounts');
  const { principal } = useSettings();
  // Any platform app suspends the accounts it made (the API checks which); the operator every account.
  const mayChange = principal.kind === 'platform' && principal.scopes.includes('platform:accounts');
  const [outcome, setOutcome] = useState<string>();
  const [version, setVersion] = useState(0);
  const setStatus = async (a: Account, status: 'active' | 'suspended', reason: string) => {
    const r = await send<{ status: string; changed: boolean }>('PATCH', `/v1/accounts/${a.id}`, {
      status,
      ...(reason && { reason }),
    });
    setOutcome(`${a.name} is ${r.status}${r.changed ? '' : ' already'}.`);
    setVersion((n) => n + 1);
    pages.reload();
  };
  return (
    <Page title="Accounts">
      <Outcome text={outcome} />
      <ErrorBox error={pages.error} />
      <Empty loaded={pages.loaded} count={pages.items.length} what="accounts" />
      <ul class="rows" aria-label="Accounts">
        {pages.items.map((a) => (
          <li key={a.id} data-account={a.name}>
            <div class="row-head">
              <strong>{a.name}</strong> <span class="muted">#{a.id}</span> <Badge value={a.status} />
            </div>
            <div class="row-meta">
              <span>
                Created <When at={a.created_at} />
              </span>
              <span>Locale {a.locale}</span>
            </div>
            <nav class="row-links" aria-label={`${a.name}`}>
              <a href={`#/accounts/${a.id}/members`}>Members</a>
              <a href={`#/accounts/${a.id}/conversations`}>Conversations</a>
              <a href={`#/accounts/${a.id}/webhooks`}>Webhooks</a>
              <WorkflowLink query={byAccount(a.id)} label="Workflows" />
            </nav>
            {mayChange &&
              (a.status === 'suspended' ? (
                <ConfirmButton
                  label="Reactivate"
                  reason="optional"
                  question={`Reactivate ${a.name}? Its writes and webhooks resume.`}
                  yes="Yes, reactivate"
                  onConfirm={({ reason }) => setStatus(a, 'active', reason)}
                />
              ) : (
                <ConfirmButton
                  label="Suspend"
                  danger
                  reason="optional"
                  question={`Suspend ${a.name}? Reads still answer; writes get 423 and webhooks stop.`}
                  yes="Yes, suspend"
                  onConfirm={({ reason }) => setStatus(a, 'suspended', reason)}
                />
              ))}
          </li>
        ))}
      </ul>
      <MoreButton pages={pages} label="More accounts" />
      {mayChange && <AuditTrail action="account." version={version} />}
    </Page>
  );
}
