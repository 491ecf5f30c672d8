import { withQuery } from '../api.ts';
import { Badge, Empty, ErrorBox, MoreButton, Page, usePages, When, WorkflowLink } from '../components.tsx';
import { byAccount, byWorkflowId } from '../workflows.ts';
import { ReplyForm } from './reply-form.tsx';

interface Message {
  id: number;
  seq: number;
  content: string;
  message_type: string;
  private: boolean;
  status: string;
  external_error: string | null;
  sender_type: string;
  source_id: string | null;
  created_at: number;
  workflow_id: string | null;
}

/** Newest first, ten at a time, both directions: what a customer said last, and what was answered and whether it arrived. */
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
      <ReplyForm path={base} onSent={pages.reload} />
      <ErrorBox error={pages.error} />
      <Empty loaded={pages.loaded} count={pages.items.length} what="messages" />
      <ol class="rows messages" aria-label="Messages, newest first">
        {pages.items.map((m) => (
          <li
            key={m.id}
            data-message-seq={m.seq}
            data-message-status={m.status}
            class={`message message-${m.message_type}${m.private ? ' message-private' : ''}`}
          >
            <p class="content">{m.content}</p>
            <div class="row-meta">
              <span>
                #{m.seq} · {m.private ? 'private note' : m.message_type} · {m.sender_type}
              </span>
              {m.message_type === 'outgoing' && !m.private && <Badge value={m.status} />}
              {m.status === 'failed' && m.external_error && (
                <span class="error wrap" data-external-error>
                  {m.external_error}
                </span>
              )}
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
