import { loadEnv, type Env } from '../../config/env.ts';
import { apiTarget } from '../api-client.ts';
import { seedDemo, type SeedOptions } from '../seed/demo.ts';

export interface SeedCommandOptions {
  webhookUrl?: string;
}

/** `capstan seed demo`: demo accounts, members, conversations, webhooks and a licence, through the API. */
export async function seedCommand(what: string, options: SeedCommandOptions): Promise<void> {
  if (what !== 'demo') throw new Error(`unknown data set ${what}: demo`);
  const env = loadEnv();
  const { base, token } = apiTarget(env);
  const result = await seedDemo({
    baseUrl: base,
    platformToken: token,
    // Nothing listens on the discard port: deliveries fail and retry, which the console shows attempt by attempt.
    webhookUrl: options.webhookUrl ?? 'http://127.0.0.1:9/demo-hooks',
    licenceKey: env.LICENSING_SERVER_URL ? undefined : sandboxLicence(env),
    log: (line) => console.log(line),
  });
  console.log(result.created === 0 ? 'demo data already in place: nothing created' : `created ${result.created} items`);
}

/** The local licensing sandbox signs a key for this installation, as `capstan sandbox licence issue` does. */
function sandboxLicence(env: Env): SeedOptions['licenceKey'] {
  return async ({ installationId, customer, plan, seats }) => {
    const res = await fetch(`http://127.0.0.1:${env.LICENSING_SANDBOX_PORT}/__sandbox/licences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ aud: installationId, sub: customer, plan, seats, expiresIn: 365 * 86_400 }),
    });
    if (!res.ok) throw new Error(`the licensing sandbox refused to issue a key: ${res.status}`);
    return ((await res.json()) as { key: string }).key;
  };
}
