import { loadEnv } from '../../config/env.ts';
import { plans, type Plan } from '../../config/licence.ts';
import { apiClient } from '../api-client.ts';

export interface IssueOptions {
  plan: string;
  seats: string;
  expires: string;
  aud?: string;
  hb?: string;
  grace?: string;
}

const DAY = 86_400;

/** `capstan sandbox licence issue`: a key from the local licensing sandbox, for this installation by default. */
export async function sandboxLicenceIssue(options: IssueOptions): Promise<void> {
  const env = loadEnv();
  if (!(plans as readonly string[]).includes(options.plan))
    throw new Error(`--plan ${options.plan}: one of ${plans.join(', ')}`);
  const days = /^(\d+)d$/.exec(options.expires);
  if (!days) throw new Error(`--expires ${options.expires}: a number of days such as 30d`);
  const aud = options.aud ?? (await apiClient(env)('GET', '/v1/license')).installation_id;
  const res = await fetch(`http://127.0.0.1:${env.LICENSING_SANDBOX_PORT}/__sandbox/licences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      aud,
      plan: options.plan as Plan,
      seats: Number(options.seats),
      expiresIn: Number(days[1]) * DAY,
      ...(options.hb ? { hb: Number(options.hb) } : {}),
      ...(options.grace ? { grace: Number(options.grace) } : {}),
    }),
  }).catch(() => {
    throw new Error(
      `the licensing sandbox on port ${env.LICENSING_SANDBOX_PORT} is not reachable; is \`capstan up\` running?`,
    );
  });
  console.log(((await res.json()) as { key: string }).key);
}
