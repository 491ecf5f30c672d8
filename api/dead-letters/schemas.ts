import { z } from '@hono/zod-openapi';
import { redactSecrets } from '../../config/redact.ts';
import type { DeadLetterRow } from '../../db/dead-letters.ts';
import { deadLetterStatuses } from '../../db/dead-letters.ts';
import { anyObject, queryRowId } from '../common-schemas.ts';
import { pageQuery } from '../pagination.ts';
import { apiText } from '../text-rules.ts';

const instant = z.iso.datetime({ offset: true });

/** The filter of a list and of a bulk retry: the same words in both. */
export const filterFields = {
  kind: apiText(z.string().min(1).max(100))
    .optional()
    .openapi({ description: 'deploy, deliverWebhook, licenceHeartbeat…' }),
  accountId: queryRowId().optional(),
  since: instant.optional().openapi({ description: 'Last failure at or after' }),
  until: instant.optional().openapi({ description: 'Last failure before' }),
  q: apiText(z.string().trim().min(1).max(200)).optional().openapi({
    description: 'Full-text search of the failure (type, message), workflow id and kind; web-search syntax',
  }),
};

export const listQuery = pageQuery.extend({ ...filterFields, status: z.enum(deadLetterStatuses).optional() });
export const bulkRetryBody = z.object(filterFields).strict().openapi('DeadLetterFilter');
export const discardBody = z
  .object({ reason: apiText(z.string().trim().min(1).max(500)) })
  .strict()
  .openapi('DiscardDeadLetterRequest');

export const deadLetter = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    status: z.enum(deadLetterStatuses),
    workflow_type: z.string(),
    workflow_id: z.string(),
    run_id: z.string(),
    account_id: z.number().int().nullable(),
    app_id: z.string().nullable(),
    business_ids: anyObject,
    failure_type: z.string(),
    failure_message: z.string(),
    attempts: z.number().int(),
    first_failure_at: z.string(),
    last_failure_at: z.string(),
    web_ui_url: z.string(),
    retry: z
      .object({
        workflow_id: z.string().nullable(),
        run_id: z.string().nullable(),
        by: z.string().nullable(),
        at: z.string().nullable(),
      })
      .nullable(),
    discard: z
      .object({ reason: z.string().nullable(), by: z.string().nullable(), at: z.string().nullable() })
      .nullable(),
    input: z.unknown().optional().openapi({ description: 'The input with secrets removed (one letter only)' }),
  })
  .openapi('DeadLetter');

export const retried = z
  .object({
    letter_id: z.number().int(),
    workflow_id: z.string(),
    run_id: z.string().nullable(),
    started: z.boolean().openapi({ description: 'False when an earlier retry had already started the run' }),
  })
  .openapi('RetriedDeadLetter');

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function letterView(row: DeadLetterRow, webUiUrl: string | undefined, withInput = false) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    workflow_type: row.workflow_type,
    workflow_id: row.workflow_id,
    run_id: row.run_id,
    account_id: row.account_id,
    app_id: row.app_id,
    business_ids: row.business_ids,
    failure_type: row.failure_type,
    failure_message: row.failure_message,
    attempts: row.attempts,
    first_failure_at: row.first_failure_at.toISOString(),
    last_failure_at: row.last_failure_at.toISOString(),
    web_ui_url: `${webUiUrl ?? ''}${row.web_ui_path}`,
    retry:
      row.status === 'retried'
        ? { workflow_id: row.retry_workflow_id, run_id: row.retry_run_id, by: row.retried_by, at: iso(row.retried_at) }
        : null,
    discard:
      row.status === 'discarded'
        ? { reason: row.discard_reason, by: row.discarded_by, at: iso(row.discarded_at) }
        : null,
    // Censored again as it is served: a letter recorded under an older, narrower rule shows no more than a new one.
    ...(withInput && { input: redactSecrets(row.input_redacted) }),
  };
}
