import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import type { CreateLabelInput, DeleteLabelInput, LabelRecord, UpdateLabelInput } from '../contracts/conversations.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { audit } from './audit.ts';

interface LabelRow {
  id: number;
  title: string;
  description: string | null;
  color: string;
  show_on_sidebar: boolean;
}
const record = (r: LabelRow): LabelRecord => ({
  id: r.id,
  title: r.title,
  description: r.description,
  color: r.color,
  showOnSidebar: r.show_on_sidebar,
});
const columns = (tx: TransactionSql) => tx`id, title, description, color, show_on_sidebar`;

/** A title the account already has is a conflict (409), as Chatwoot's uniqueness validation refuses it. */
async function titleFree(tx: TransactionSql, accountId: number, title: string, except = 0): Promise<void> {
  const [taken] =
    await tx`select 1 from labels where account_id = ${accountId} and title = ${title} and id <> ${except}`;
  if (taken) refuse('Conflict', `Account ${accountId} already has a label “${title}”.`);
}

/** Account labels (Chatwoot's): each write one transaction, found again by its run on a retry. */
export function createLabelActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  async function createLabel(cmd: Run<CreateLabelInput>): Promise<LabelRecord> {
    return sql
      .begin(async (tx) => {
        const [earlier] = await tx<LabelRow[]>`select ${columns(tx)} from labels where workflow_id = ${cmd.workflowId}`;
        if (earlier) return record(earlier);
        await titleFree(tx, cmd.accountId, cmd.title);
        const [row] = await tx<LabelRow[]>`
          insert into labels (account_id, title, description, color, show_on_sidebar, workflow_id)
          values (${cmd.accountId}, ${cmd.title}, ${cmd.description ?? null}, ${cmd.color ?? '#1f93ff'},
                  ${cmd.showOnSidebar ?? true}, ${cmd.workflowId})
          returning ${columns(tx)}`;
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'label.created',
          subject: 'Label',
          subjectId: row!.id,
          details: { title: cmd.title },
          workflowId: cmd.workflowId,
        });
        logger.info({ accountId: cmd.accountId, labelId: row!.id }, 'label created');
        return record(row!);
      })
      .catch(finalIfPermanent);
  }

  async function updateLabel(cmd: Run<UpdateLabelInput>): Promise<LabelRecord> {
    return sql
      .begin(async (tx) => {
        const [row] = await tx<LabelRow[]>`
          select ${columns(tx)} from labels where id = ${cmd.labelId} and account_id = ${cmd.accountId} for update`;
        if (!row) refuse('NotFound', `Label ${cmd.labelId} does not exist in account ${cmd.accountId}.`);
        if (cmd.title !== undefined) await titleFree(tx, cmd.accountId, cmd.title, cmd.labelId);
        const [updated] = await tx<LabelRow[]>`
          update labels set title = ${cmd.title ?? row.title},
                 description = ${cmd.description === undefined ? row.description : cmd.description},
                 color = ${cmd.color ?? row.color}, show_on_sidebar = ${cmd.showOnSidebar ?? row.show_on_sidebar},
                 updated_at = now()
           where id = ${cmd.labelId} returning ${columns(tx)}`;
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'label.updated',
          subject: 'Label',
          subjectId: cmd.labelId,
          details: { from: row, to: updated },
          workflowId: cmd.workflowId,
        });
        return record(updated!);
      })
      .catch(finalIfPermanent);
  }

  /** The label leaves the account; conversations and contacts keep the title they carry, as in Chatwoot. */
  async function deleteLabel(cmd: Run<DeleteLabelInput>): Promise<{ deleted: boolean }> {
    return sql
      .begin(async (tx) => {
        const [done] =
          await tx`select 1 from audit_log where workflow_id = ${cmd.workflowId} and action = 'label.deleted'`;
        if (done) return { deleted: true };
        const [row] = await tx<{ title: string }[]>`
          delete from labels where id = ${cmd.labelId} and account_id = ${cmd.accountId} returning title`;
        if (!row) refuse('NotFound', `Label ${cmd.labelId} does not exist in account ${cmd.accountId}.`);
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'label.deleted',
          subject: 'Label',
          subjectId: cmd.labelId,
          details: { title: row.title },
          workflowId: cmd.workflowId,
        });
        return { deleted: true };
      })
      .catch(finalIfPermanent);
  }

  return { createLabel, updateLabel, deleteLabel };
}
