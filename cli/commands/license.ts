import { apiTargetEnv } from '../../config/api-target-env.ts';
import { apiClient } from '../api-client.ts';

/** `capstan license show | install <key> | heartbeat`, through the API. */
export async function licenseCommand(action: string, key: string | undefined): Promise<void> {
  const api = apiClient(apiTargetEnv());
  switch (action) {
    case 'show':
      return print(await api('GET', '/v1/license'));
    case 'install':
      if (!key) throw new Error('usage: capstan license install <key>');
      return print(await api('PUT', '/v1/license', { key }));
    case 'heartbeat': {
      const answer = await api('POST', '/v1/license/heartbeat');
      console.log(
        `heartbeat ${answer.heartbeat.outcome}${answer.heartbeat.serverStatus ? ` (server: ${answer.heartbeat.serverStatus})` : ''}${answer.heartbeat.error ? `: ${answer.heartbeat.error}` : ''}`,
      );
      return print(answer.licence);
    }
    default:
      throw new Error(`unknown action ${action}: show | install <key> | heartbeat`);
  }
}

function print(l: any): void {
  console.log(
    [
      `status        ${l.status}`,
      `plan          ${l.plan}${l.customer ? ` (${l.customer})` : ''}`,
      `seats         ${l.seats.used} used${l.seats.allowed === null ? '' : ` of ${l.seats.allowed}`}`,
      `features      ${l.features.length ? l.features.join(', ') : '(none)'}`,
      `expires       ${l.expires_at ?? '-'}`,
      `heartbeat     last ${l.heartbeat.last_at ?? 'never'} (${l.heartbeat.last_outcome ?? '-'}), next ${l.heartbeat.next_at ?? '-'}${l.heartbeat.schedule_paused ? ' [paused]' : ''}`,
      `installation  ${l.installation_id}`,
    ].join('\n'),
  );
}
