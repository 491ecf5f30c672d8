import { apiTargetEnv } from '../../config/api-target-env.ts';
import { apiClient } from '../api-client.ts';

interface BreakerView {
  name: string;
  state: string;
  failures: number;
  failure_threshold: number;
  half_open_at: string | null;
  last_failure: string | null;
  last_failure_at: string | null;
  before?: string;
}

/** `capstan breakers list` and `capstan breakers reset <name> --reason <text>`, through the API. */
export async function breakersCommand(
  action: string,
  name: string | undefined,
  options: { reason?: string },
): Promise<void> {
  const api = apiClient(apiTargetEnv());
  switch (action) {
    case 'list':
      return table((await api('GET', '/v1/breakers')).payload);
    case 'reset': {
      if (!name || !options.reason) throw new Error('usage: capstan breakers reset <name> --reason <text>');
      const reset: BreakerView = await api('POST', `/v1/breakers/${encodeURIComponent(name)}/reset`, {
        reason: options.reason,
      });
      table([reset]);
      return console.log(`\n${reset.name}: ${reset.before} → ${reset.state}`);
    }
    default:
      throw new Error(`unknown action ${action}: list | reset <name> --reason <text>`);
  }
}

function table(rows: BreakerView[]): void {
  const when = (b: BreakerView) => (b.state === 'open' ? `half-open at ${b.half_open_at}` : '');
  const last = (b: BreakerView) => (b.last_failure ? `${b.last_failure_at} ${b.last_failure}` : '');
  console.log(
    ['name'.padEnd(32), 'state'.padEnd(10), 'failures'.padEnd(9), 'next'.padEnd(38), 'last failure'].join(' '),
  );
  for (const b of rows)
    console.log(
      [
        b.name.padEnd(32),
        b.state.padEnd(10),
        `${b.failures}/${b.failure_threshold}`.padEnd(9),
        when(b).padEnd(38),
        last(b),
      ].join(' '),
    );
}
