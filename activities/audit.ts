import type { TransactionSql } from '../db/pool.ts';

export interface AuditEntry {
  /** Null for the platform's own actions (its tokens). */
  accountId: number | null;
  /** `grantId`: the break-glass grant the actor acted under, kept on the row (`audit_log.grant_id`). */
  actor: { type: string; id: string; grantId?: number };
  action: string;
  subject: string;
  subjectId: number | string;
  details?: object;
  workflowId: string;
}

/** One audit row per action and run, however often the activity is retried. */
export async function audit(tx: TransactionSql, entry: AuditEntry): Promise<void> {
  await tx`
    insert into audit_log (account_id, actor_type, actor_id, action, subject_type, subject_id, details, workflow_id, grant_id)
    values (${entry.accountId}, ${entry.actor.type}, ${entry.actor.id}, ${entry.action}, ${entry.subject}, ${String(entry.subjectId)},
            ${tx.json((entry.details ?? {}) as never)}, ${entry.workflowId}, ${entry.actor.grantId ?? null})
    on conflict (workflow_id, action) where workflow_id is not null do nothing`;
}
