import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import type { AdminActivities } from '../contracts/activities.ts';
import { grantChangedSignal, promotionUpdate, type PromoteInput, type Promotion } from '../contracts/admin.ts';
import { workflows } from '../contracts/workflows.ts';
import { vouchedWrite } from './acting-for.ts';
import { parseInput } from './validation.ts';

const a = proxyLocalActivities<AdminActivities>(activityOptions.databaseWrite);

/** Past the expiry, so PostgreSQL's clock has passed it too when the grant is ended. */
const MARGIN_MS = 250;

/**
 * Grants break glass and holds the grant: a durable timer ends it at its expiry,
 * whichever worker is alive then (the grantee acts only through the break-glass
 * token they activate; activities/break-glass.ts). Revoking, extending or a
 * forced reset change the row and signal this run, which reads it again.
 */
export async function promoteSuperAdmin(input: PromoteInput): Promise<Promotion> {
  const { workflowId } = workflowInfo();
  let grant: Promotion | undefined;
  let refusal: unknown;
  let changed = false;
  setHandler(promotionUpdate, async () => {
    await condition(() => grant !== undefined || refusal !== undefined);
    if (grant) return grant;
    throw applicationFailureOf(refusal);
  });
  setHandler(grantChangedSignal, () => void (changed = true));
  try {
    const cmd = parseInput(workflows.promoteSuperAdmin.input, input);
    grant = await vouchedWrite(input, cmd.actor, a.grantSuperAdmin, { ...cmd, workflowId });
  } catch (err) {
    refusal = err;
    await condition(allHandlersFinished);
    throw err;
  }
  upsertSearchAttributes([{ key: searchAttributes.userId, value: String(grant.userId) }]);
  while (!grant.endedAt) {
    showDetails(grant);
    const wait = Math.max(Date.parse(grant.expiresAt) - Date.now(), 0) + MARGIN_MS;
    if (await condition(() => changed, wait)) {
      changed = false;
      grant = await a.readPromotion({ grantId: grant.grantId });
    } else {
      grant = await a.expireSuperAdmin({ grantId: grant.grantId, workflowId });
    }
  }
  showDetails(grant);
  await condition(allHandlersFinished);
  return grant;
}

function showDetails(g: Promotion): void {
  setCurrentDetails(
    g.endedAt
      ? `**Ended** (${g.endReason}) at ${g.endedAt}: the break-glass token of \`${g.email}\` (user ${g.userId}) opens nothing, and what it made has ended unless kept.`
      : `**Break glass** for \`${g.email}\` (user ${g.userId}) until **${g.expiresAt}**, granted by ${g.grantedBy}: ${g.reason}. Super admin only through the grant's break-glass token.`,
  );
}

/** An update can only be refused with an ApplicationFailure: the activity's own refusal, unwrapped. */
function applicationFailureOf(err: unknown): ApplicationFailure {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) if (e instanceof ApplicationFailure) return e;
  return ApplicationFailure.create({ message: err instanceof Error ? err.message : String(err), nonRetryable: true });
}
