/**
 * Two `capstan worker --queue core` processes on the real Temporal server: a mixed load (accounts, messages whose
 * webhook is delivered and verified) spreads across both, read from each process's own Prometheus metrics, and
 * nothing is lost: every request answered, every delivery verified, every row in PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { startBenchStack } from './stack.ts';
import { measure } from './stats.ts';
import { startVerifyingReceiver } from './webhook-receiver.ts';

/** A delivery not verified by then is lost work (a loaded machine takes seconds, not minutes). */
const DELIVERY_DEADLINE_MS = 300_000;

export async function clusterSpread(count: number): Promise<string[]> {
  const stack = await startBenchStack({ target: 'cluster', workerProcesses: ['core', 'core'] });
  const receiver = await startVerifyingReceiver();
  try {
    const headers = { authorization: `Bearer ${stack.platformToken}`, 'content-type': 'application/json' };
    const call = async (path: string, body: unknown): Promise<any> => {
      const res = await fetch(`${stack.api.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      // 202: still running past the API's wait (a loaded machine); the counts below see whether it finished.
      if (res.status !== 201 && res.status !== 202)
        throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
      return res.json();
    };
    const { account } = await call('/v1/accounts', {
      name: 'Spread',
      admin: { name: 'S', email: `${randomUUID()}@b.test` },
    });
    const inbox = await call(`/v1/accounts/${account.id}/inboxes`, { name: 'Spread' });
    const hook = await call(`/v1/accounts/${account.id}/webhooks`, {
      url: receiver.url,
      subscriptions: ['message_created'],
    });
    receiver.setSecret(hook.secret);
    const before = await rowCounts(stack.sql, account.id);

    const provision = () =>
      call('/v1/accounts', { name: 'Spread', admin: { name: 'S', email: `${randomUUID()}@b.test` } });
    const message = async (i: number) => {
      const content = `spread-${randomUUID()}`;
      const delivered = receiver.delivered(content, DELIVERY_DEADLINE_MS);
      await call(`/v1/accounts/${account.id}/inboxes/${inbox.id}/messages`, {
        contact: { identifier: `s-${i % 16}` },
        content,
        source_id: randomUUID(),
      });
      await delivered;
    };
    const load = await measure('mixed', 8, count * 2, (i) => (i % 2 ? message(i) : provision()));
    // A verified delivery is recorded as delivered a moment after the receiver answers: wait for the rows.
    let after = await rowCounts(stack.sql, account.id);
    for (const deadline = Date.now() + DELIVERY_DEADLINE_MS; Date.now() < deadline;) {
      const settled = [
        after.accounts - before.accounts,
        after.messages - before.messages,
        after.delivered - before.delivered,
      ];
      if (settled.every((n) => n >= count)) break;
      await new Promise((r) => setTimeout(r, 1000));
      after = await rowCounts(stack.sql, account.id);
    }

    const lines = [
      `${count} accounts and ${count} messages (each delivered and verified), 8 in flight: ${load.perSecond.toFixed(1)}/s, p50 ${load.p50.toFixed(1)} ms`,
      '| process | workflows completed (by type) | activities run | local activities |',
      '| --- | --- | --- | --- |',
    ];
    for (const worker of stack.workerProcesses) {
      const m = await metrics(worker.metricsUrl);
      lines.push(`| ${worker.name} (pid ${worker.pid}) | ${m.workflows} | ${m.activities} | ${m.local} |`);
    }
    const added = {
      accounts: after.accounts - before.accounts,
      messages: after.messages - before.messages,
      delivered: after.delivered - before.delivered,
    };
    const whole =
      added.accounts === count && added.messages === count && added.delivered === count && !receiver.refused;
    lines.push(
      `nothing lost: ${added.accounts}/${count} accounts, ${added.messages}/${count} messages, ${added.delivered}/${count} deliveries delivered, ${receiver.refused} refused signatures — ${whole ? 'whole' : 'LOST WORK'}`,
    );
    if (!whole) throw new Error(lines.join('\n'));
    return lines;
  } finally {
    await receiver.close();
    await stack.stop();
  }
}

async function rowCounts(sql: Awaited<ReturnType<typeof startBenchStack>>['sql'], accountId: number) {
  const [row] = await sql<{ accounts: number; messages: number; delivered: number }[]>`
    select (select count(*)::int from accounts) as accounts,
           (select count(*)::int from messages where account_id = ${accountId}) as messages,
           (select count(*)::int from webhook_deliveries where status = 'delivered') as delivered`;
  return row!;
}

/** Sums of the SDK's counters in one worker process's /metrics, by workflow or activity type. */
async function metrics(url: string) {
  const text = await (await fetch(url)).text();
  const sum = (name: string, label: string) => {
    const by: Record<string, number> = {};
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      const key = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1] ?? 'all';
      by[key] = (by[key] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    return `${total} (${
      Object.entries(by)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-'
    })`;
  };
  return {
    workflows: sum('temporal_workflow_completed', 'workflow_type'),
    activities: sum('temporal_activity_execution_latency_count', 'activity_type'),
    local: sum('temporal_local_activity_execution_latency_count', 'activity_type'),
  };
}
