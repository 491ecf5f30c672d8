import { Badge, Empty, ErrorBox, Page, useGet, When, WorkflowLink } from '../components.tsx';
import { byAccount } from '../workflows.ts';

interface Member {
  user_id: number;
  name: string;
  email: string;
  role: string;
}

interface Invitation {
  id: number;
  email: string;
  role: string;
  status: string;
  expires_at: string;
}

export function Members({ accountId }: { accountId: number }) {
  const members = useGet<{ payload: Member[] }>(`/v1/accounts/${accountId}/members`);
  const invitations = useGet<{ payload: Invitation[] }>(`/v1/accounts/${accountId}/invitations`);
  const memberRows = members.data?.payload ?? [];
  const invitationRows = invitations.data?.payload ?? [];
  return (
    <Page title={`Members of account ${accountId}`}>
      <ErrorBox error={members.error} />
      <Empty loaded={members.data !== undefined} count={memberRows.length} what="members" />
      <ul class="rows" aria-label="Members">
        {memberRows.map((m) => (
          <li key={m.user_id} data-member={m.email}>
            <div class="row-head">
              <strong>{m.name}</strong> <Badge value={m.role} />
            </div>
            <div class="row-meta">
              <span class="wrap">{m.email}</span>
              <span class="muted">user #{m.user_id}</span>
              <WorkflowLink query={byAccount(accountId, 'addMember')} label="Member workflows" />
            </div>
          </li>
        ))}
      </ul>
      <h2>Invitations</h2>
      <ErrorBox error={invitations.error} />
      <Empty loaded={invitations.data !== undefined} count={invitationRows.length} what="invitations" />
      <ul class="rows" aria-label="Invitations">
        {invitationRows.map((i) => (
          <li key={i.id} data-invitation={i.email}>
            <div class="row-head">
              <strong class="wrap">{i.email}</strong> <Badge value={i.status} /> <Badge value={i.role} />
            </div>
            <div class="row-meta">
              <span>
                Expires <When at={i.expires_at} />
              </span>
              <WorkflowLink query={byAccount(accountId, 'inviteMember')} label="Invitation workflows" />
            </div>
          </li>
        ))}
      </ul>
    </Page>
  );
}
