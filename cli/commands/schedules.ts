import type { Command } from 'commander';
import { apiClientOnUse } from '../api-client.ts';

interface ScheduleView {
  id: string;
  exists: boolean;
  workflow_type: string | null;
  paused: boolean;
  interval_ms: number | null;
  next_action_times: string[];
  note: string | null;
}

const api = apiClientOnUse;

function table(rows: ScheduleView[]): void {
  console.log(['id'.padEnd(24), 'state'.padEnd(10), 'every'.padEnd(12), 'next run'.padEnd(25), 'workflow'].join(' '));
  for (const s of rows) {
    const state = !s.exists ? 'missing' : s.paused ? 'paused' : 'active';
    const every = s.interval_ms === null ? '-' : `${Math.round(s.interval_ms / 1000)} s`;
    console.log(
      [
        s.id.padEnd(24),
        state.padEnd(10),
        every.padEnd(12),
        (s.next_action_times[0] ?? '-').padEnd(25),
        s.workflow_type ?? '-',
      ].join(' '),
    );
  }
}

/** `capstan schedules list | pause|unpause|trigger <id> | backfill <id> --from --to`, through the API. */
export function schedulesCommand(program: Command): void {
  const schedules = program
    .command('schedules')
    .description('The schedules Capstan owns: schedules list | pause|unpause|trigger <id> | backfill <id> --from --to');

  schedules
    .command('list')
    .description('Every schedule, its state and next run')
    .action(async () => table((await (await api())('GET', '/v1/schedules')).payload));

  for (const operation of ['pause', 'unpause', 'trigger'] as const) {
    schedules
      .command(operation)
      .description(`${operation[0]!.toUpperCase()}${operation.slice(1)} a schedule (audited)`)
      .argument('<id>')
      .option('--reason <text>', 'why: recorded in the audit log')
      .action(async (id: string, o: { reason?: string }) => {
        await (
          await api()
        )('POST', `/v1/schedules/${encodeURIComponent(id)}/${operation}`, o.reason ? { reason: o.reason } : {});
        console.log(`${id}: ${operation} done`);
      });
  }

  schedules
    .command('backfill')
    .description('Run a schedule for the times it would have run in a past range (audited)')
    .argument('<id>')
    .requiredOption('--from <instant>', 'start of the range, ISO 8601')
    .requiredOption('--to <instant>', 'end of the range, ISO 8601')
    .option('--reason <text>', 'why: recorded in the audit log')
    .action(async (id: string, o: { from: string; to: string; reason?: string }) => {
      await (
        await api()
      )('POST', `/v1/schedules/${encodeURIComponent(id)}/backfill`, {
        from: o.from,
        to: o.to,
        ...(o.reason && { reason: o.reason }),
      });
      console.log(`${id}: backfill ${o.from} → ${o.to} requested`);
    });
}
