/** Something the grantee made with the break-glass token, or that grew out of it (a membership from its invitation). */
export interface GrantEffect {
  id: number;
  grantId: number;
  kind: 'invitation' | 'membership' | 'token' | 'webhook' | 'role';
  /** The invitation's, membership's (`account_users`, also for a role change), token's or webhook's id. */
  subjectId: number;
  accountId: number;
  createdAt: string;
  keptAt: string | null;
  keptBy: string | null;
  keptReason: string | null;
  endedAt: string | null;
}
