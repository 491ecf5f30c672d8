import type { Command } from 'commander';
import { apiClientOnUse } from '../api-client.ts';

interface FilterOptions {
  kind?: string;
  account?: string;
  since?: string;
  until?: string;
  search?: string;
}

interface LetterView {
  id: number;
  kind: string;
  status: string;
  workflow_id: string;
  account_id: number | null;
  failure_type: string;
  failure_message: string;
  attempts: number;
  last_failure_at: string;
  web_ui_url: string;
  retry: { workflow_id: string | null; run_id: string | null } | null;
}

interface Retried {
  letter_id: number;
  workflow_id: string;
  run_id: string | null;
  started: boolean;
}

const api = apiClientOnUse;

function filterOf(o: FilterOptions) {
  return {
    ...(o.kind && { kind: o.kind }),
    ...(o.account && { accountId: Number(o.account) }),
    ...(o.since && { since: o.since }),
    ...(o.until && { until: o.until }),
    ...(o.search && { q: o.search }),
  };
}

function withFilters(command: Command): Command {
  return command
    .option('--kind <kind>', 'deploy, deliverWebhook, licenceHeartbeat…')
    .option('--account <id>', 'the account the work was for')
    .option('--since <instant>', 'last failure at or after (ISO 8601)')
    .option('--until <instant>', 'last failure before (ISO 8601)')
    .option('--search <text>', 'full-text search of the error');
}

const letterId = (id: string) => {
  if (!/^\d+$/.test(id)) throw new Error(`not a dead letter id: ${id}`);
  return id;
};

function table(rows: LetterView[]): void {
  console.log(
    [
      'id'.padEnd(7),
      'status'.padEnd(10),
      'kind'.padEnd(18),
      'failure'.padEnd(22),
      'last failure'.padEnd(25),
      'workflow',
    ].join(' '),
  );
  for (const l of rows)
    console.log(
      [
        String(l.id).padEnd(7),
        l.status.padEnd(10),
        l.kind.padEnd(18),
        l.failure_type.padEnd(22),
        l.last_failure_at.padEnd(25),
        l.workflow_id,
      ].join(' '),
    );
}

const printRetried = (r: Retried) =>
  console.log(
    `letter ${r.letter_id}: ${r.started ? 'started' : 'already retried as'} ${r.workflow_id} ${r.run_id ?? ''}`.trim(),
  );

/** `capstan dead-letters list|show|retry|retry-all|discard`, through the API with the CLI's platform token. */
export function deadLettersCommand(program: Command): void {
  const dl = program
    .command('dead-letters')
    .description('Work that ended for good: dead-letters list | show <id> | retry <id> | retry-all | discard <id>');

  withFilters(dl.command('list').description('Letters newest first, every status unless --status'))
    .option('--status <status>', 'open | retried | discarded')
    .option('--limit <n>', 'at most this many (default 50)', '50')
    .action(async (o: FilterOptions & { status?: string; limit: string }) => {
      const query = new URLSearchParams({
        ...Object.fromEntries(Object.entries(filterOf(o)).map(([k, v]) => [k, String(v)])),
        ...(o.status && { status: o.status }),
        limit: String(Math.min(100, Number(o.limit))),
      });
      table((await (await api())('GET', `/v1/dead-letters?${query}`)).payload);
    });

  dl.command('show')
    .description('One letter: its failure, ids, input (secrets removed) and Web UI link')
    .argument('<id>')
    .action(async (id: string) => {
      console.log(JSON.stringify(await (await api())('GET', `/v1/dead-letters/${letterId(id)}`), null, 2));
    });

  dl.command('retry')
    .description('Start the failed workflow again with its id and input; a second retry starts nothing')
    .argument('<id>')
    .action(async (id: string) => printRetried(await (await api())('POST', `/v1/dead-letters/${letterId(id)}/retry`)));

  withFilters(dl.command('retry-all').description('Retry every open letter matching the filters')).action(
    async (o: FilterOptions) => {
      const call = await api();
      let total = 0;
      for (;;) {
        const answer: { payload: Retried[]; remaining: number } = await call(
          'POST',
          '/v1/dead-letters/retry',
          filterOf(o),
        );
        answer.payload.forEach(printRetried);
        total += answer.payload.length;
        if (!answer.remaining || !answer.payload.length) break;
      }
      console.log(`${total} letter(s) retried`);
    },
  );

  dl.command('discard')
    .description('Close a letter without retrying it')
    .argument('<id>')
    .requiredOption('--reason <text>', 'why: recorded in the audit log')
    .action(async (id: string, o: { reason: string }) => {
      table([await (await api())('POST', `/v1/dead-letters/${letterId(id)}/discard`, { reason: o.reason })]);
    });
}
