import { WorkflowFailedError, type WorkflowExecutionInfo } from '@temporalio/client';
import { applicationFailureOf } from '../../api/write.ts';
import { failureTypes, isFailureType } from '../../config/failures.ts';
import type { SentRequest } from './driver.ts';
import type { ChaosStack } from './stack.ts';
import { DEPLOY_OWNER, type Expected } from './workload.ts';

export interface Verdict {
  workflows: number;
  completed: number;
  deadLettered: number;
  lost: number;
  duplicated: number;
  /** One line per violation: what was lost or duplicated, and where. */
  findings: string[];
}

/** The audit row each completed write of these types must have (audit_log, once per run). */
const auditOf: Record<string, string> = {
  provisionAccount: 'account.provisioned',
  addMember: 'member.added',
  createAccessToken: 'access_token.created',
  createInbox: 'inbox.created',
};

/** Waits until no workflow runs, or `timeoutMs` passes (what still runs then is lost). */
export async function settle(stack: ChaosStack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const running = await count(stack, 'ExecutionStatus="Running"').catch(() => 1);
    const pending = await stack.sql`select 1 from webhook_deliveries where status = 'pending' limit 1`.catch(() => [1]);
    if (running === 0 && pending.length === 0) return;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

async function count(stack: ChaosStack, query: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query })) n++;
  return n;
}

/** Every invariant, from Temporal, the database and the sandboxes. */
export async function checkInvariants(stack: ChaosStack, expected: Expected, sent: SentRequest[]): Promise<Verdict> {
  const { sql } = stack;
  const findings: string[] = [];
  const lost = (what: string) => findings.push(`LOST ${what}`);
  const duplicated = (what: string) => findings.push(`DUPLICATED ${what}`);
  const v = { workflows: 0, completed: 0, deadLettered: 0 };

  for (const r of sent)
    if (!r.answer) lost(`request ${r.kind} ${r.method} ${r.path} unanswered after ${r.attempts} tries`);
  // Every request of the workload is valid: a refusal means the outage lost it (a deploy's 409 means it runs; a
  // redemption's 409 means an earlier try whose answer the outage ate used the link: single use, by design).
  for (const r of sent)
    if (r.answer && r.answer.status >= 400 && !(['deploy', 'redeem'].includes(r.kind) && r.answer.status === 409))
      lost(`request ${r.kind} ${r.path} refused: ${r.answer.status} ${JSON.stringify(r.answer.body).slice(0, 200)}`);

  // Every run: completed, dead-lettered with a reason, or refused with a 4xx answer — nothing else.
  const letters = new Map(
    (
      await sql<{ run_id: string; failure_type: string; failure_message: string }[]>`
      select run_id, failure_type, failure_message from dead_letters`
    ).map((l) => [l.run_id, l]),
  );
  // By run id: listing pages while visibility still changes can repeat a run, which must count once.
  const runs = new Map<string, WorkflowExecutionInfo>();
  for await (const info of stack.client.workflow.list()) runs.set(info.runId, info);
  for (const run of runs.values()) {
    v.workflows++;
    const letter = letters.get(run.runId);
    if (letter) {
      if (!letter.failure_type || !letter.failure_message) lost(`dead letter of ${run.workflowId} without a reason`);
      findings.push(`DEAD-LETTERED ${run.type} ${run.workflowId}: ${letter.failure_type} ${letter.failure_message}`);
      v.deadLettered++;
      continue;
    }
    const status = run.status.name;
    if (status === 'COMPLETED' || status === 'CONTINUED_AS_NEW') {
      v.completed++;
      const action = auditOf[run.type];
      if (action) {
        const [row] = await sql`select 1 from audit_log where workflow_id = ${run.workflowId} and action = ${action}`;
        if (!row) lost(`audit ${action} of ${run.workflowId}`);
      }
    } else if (status !== 'RUNNING' && (await refused(stack, run))) v.completed++;
    else lost(`${run.type} ${run.workflowId} ${status}${status === 'RUNNING' ? '' : ' without a dead letter'}`);
  }

  for (const a of expected.accounts) {
    const [{ n }] = await sql<
      [{ n: number }]
    >`select count(*)::int as n from accounts where idempotency_key = ${a.key}`;
    if (n === 0) lost(`account ${a.key}`);
    if (n > 1) duplicated(`account ${a.key} ×${n}`);
  }
  for (const m of expected.members) {
    const [{ n }] = await sql<[{ n: number }]>`
      select count(*)::int as n from account_users au join users u on u.id = au.user_id
        join accounts a on a.id = au.account_id
       where a.idempotency_key = ${m.accountKey} and lower(u.email) = lower(${m.email})`;
    if (n === 0) lost(`member ${m.email}`);
    if (n > 1) duplicated(`member ${m.email} ×${n}`);
  }
  const tokens = await sql<{ owner_id: string; n: number }[]>`
    select owner_id, count(*)::int as n from access_tokens where owner_type = 'User' and name = 'chaos'
     group by owner_id having count(*) > 1`;
  for (const t of tokens) duplicated(`access token "chaos" of user ${t.owner_id} ×${t.n}`);

  for (const m of expected.messages) {
    const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from messages where content = ${m.content}`;
    if (n === 0) lost(`message "${m.content}"`);
    if (n > 1) duplicated(`message "${m.content}" ×${n}`);
  }
  const gaps = await sql<{ conversation_id: string; n: number; lo: number; hi: number; last: number }[]>`
    select m.conversation_id, count(*)::int as n, min(m.seq) as lo, max(m.seq) as hi, c.last_message_seq as last
      from messages m join conversations c on c.id = m.conversation_id
     group by m.conversation_id, c.last_message_seq
    having count(*) <> max(m.seq) or min(m.seq) <> 1 or c.last_message_seq <> max(m.seq)`;
  for (const g of gaps)
    lost(`sequence of conversation ${g.conversation_id}: ${g.n} messages, seq ${g.lo}..${g.hi}, last ${g.last}`);

  for (const appId of expected.apps) {
    const app = stack.clever.state.find(DEPLOY_OWNER, appId)!;
    if (app.redeployCalls > 1) duplicated(`redeploy of ${appId} ×${app.redeployCalls}`);
  }

  // Deliveries: one id per event and webhook; each delivered one received; nothing received twice under two ids.
  const deliveries = await sql<{ id: string; status: string; workflow_id: string }[]>`
    select id, status, workflow_id from webhook_deliveries`;
  const received = new Set(stack.receiver.received.map((r) => String(r.headers['x-capstan-delivery'])));
  const known = new Set(deliveries.map((d) => d.id));
  for (const d of deliveries) {
    if (d.status === 'pending') lost(`delivery ${d.id} still pending`);
    if (d.status === 'delivered' && !received.has(d.id)) lost(`delivery ${d.id} marked delivered, never received`);
  }
  for (const id of received) if (!known.has(id)) duplicated(`delivery id ${id} received but not in the database`);
  const twice = await sql<{ webhook_id: string; event: string; source_key: string; n: number }[]>`
    select webhook_id, event, source_key, count(*)::int as n from webhook_deliveries
     group by webhook_id, event, source_key having count(*) > 1`;
  for (const t of twice) duplicated(`event ${t.event} ${t.source_key} to webhook ${t.webhook_id}: ${t.n} delivery ids`);

  return {
    ...v,
    lost: findings.filter((f) => f.startsWith('LOST')).length,
    duplicated: findings.filter((f) => f.startsWith('DUPLICATED')).length,
    findings,
  };
}

/** A run that failed with a 4xx refusal: an answer to its request, not lost work. */
async function refused(stack: ChaosStack, run: WorkflowExecutionInfo): Promise<boolean> {
  try {
    await stack.client.workflow.getHandle(run.workflowId, run.runId).result();
    return true;
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) return false;
    const type = applicationFailureOf(err)?.type;
    return isFailureType(type) && failureTypes[type].status < 500;
  }
}
