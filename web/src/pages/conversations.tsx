import { withQuery } from '../api.ts';
import { Badge, Empty, ErrorBox, MoreButton, Page, usePages, When, WorkflowLink } from '../components.tsx';
import { byAccount } from '../workflows.ts';

interface Conversation {
  id: number;
  inbox_id: number;
  status: string;
  messages_count: number;
  last_activity_at: number;
  meta: { sender: { name: string; email: string | null } };
}

export function Conversations({ accountId }: { accountId: number }) {
  const pages = usePages<Conversation>(
    (cursor) => withQuery(`/v1/accounts/${accountId}/conversations`, { cursor, limit: 25 }),
    `conversations:${accountId}`,
  );
  return (
    <Page title={`Conversations of account ${accountId}`}>
      <ErrorBox error={pages.error} />
      <Empty loaded={pages.loaded} count={pages.items.length} what="conversations" />
      <ul class="rows" aria-label="Conversations">
        {pages.items.map((c) => (
          <li key={c.id} data-conversation={c.id}>
            <div class="row-head">
              <a href={`#/accounts/${accountId}/conversations/${c.id}`}>
                #{c.id} with {c.meta.sender.name || c.meta.sender.email}
              </a>{' '}
              <Badge value={c.status} />
            </div>
            <div class="row-meta">
              <span>{c.messages_count} messages</span>
              <span>
                Last activity <When at={c.last_activity_at} />
              </span>
              <span>Inbox {c.inbox_id}</span>
              <WorkflowLink query={byAccount(accountId, 'ingestMessage')} label="Message workflows" />
            </div>
          </li>
        ))}
      </ul>
      <MoreButton pages={pages} label="More conversations" />
    </Page>
  );
}
