import { withQuery } from '../api.ts';
import { Badge, Empty, ErrorBox, MoreButton, Page, usePages, When, WorkflowLink } from '../components.tsx';
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
  return (
    <Page title="Accounts">
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
          </li>
        ))}
      </ul>
      <MoreButton pages={pages} label="More accounts" />
    </Page>
  );
}
