import { withQuery } from '../api.ts';
import { Empty, ErrorBox, MoreButton, Page, usePages, When, WorkflowLink } from '../components.tsx';
import { byAccount, byWorkflowId } from '../workflows.ts';

interface Message {
  id: number;
  seq: number;
  content: string;
  message_type: string;
  sender_type: string;
  source_id: string | null;
  created_at: number;
  workflow_id: string | null;
}

/** Newest first, ten at a time: the page an operator opens to see what a customer said last. */
export function Messages({ accountId, displayId }: { accountId: number; displayId: number }) {
  const base = `/v1/accounts/${accountId}/conversations/${displayId}/messages`;
  const pages = usePages<Message>(
    (cursor) => withQuery(base, { order: 'desc', limit: 10, cursor }),
    `messages:${accountId}:${displayId}`,
  );
  return (
    <Page title={`Conversation #${displayId}`}>
      <p>
        <a href={`#/accounts/${accountId}/conversations`}>← All conversations</a>
      </p>
      <ErrorBox error={pages.error} />
      <Empty loaded={pages.loaded} count={pages.items.length} what="messages" />
      <ol class="rows messages" aria-label="Messages, newest first">
        {pages.items.map((m) => (
          <li key={m.id} data-message-seq={m.seq} class={`message message-${m.message_type}`}>
            <p class="content">{m.content}</p>
            <div class="row-meta">
              <span>
                #{m.seq} · {m.message_type} · {m.sender_type}
              </span>
              <When at={m.created_at} />
              <WorkflowLink
                query={m.workflow_id ? byWorkflowId(m.workflow_id) : byAccount(accountId, 'ingestMessage')}
                label="Workflow"
              />
            </div>
          </li>
        ))}
      </ol>
      <MoreButton pages={pages} label="Older messages" />
    </Page>
  );
}
