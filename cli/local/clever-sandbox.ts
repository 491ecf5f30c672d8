import type { CleverClientOptions } from '../../config/clever.ts';
import { startCleverSandbox } from '../../sandbox/clever-cloud/serve.ts';
import type { Shutdown } from '../shutdown.ts';

/** The demo application the local sandbox starts with, so a newcomer can deploy with no Clever Cloud account. */
export const SANDBOX_APP = {
  ownerId: 'orga_local',
  appId: 'app_demo',
  commit: '0000000000000000000000000000000000000001',
};
const LOCAL_TOKEN = 'local-sandbox-token';

export async function startLocalCleverSandbox(port: number, shutdown: Shutdown): Promise<CleverClientOptions> {
  const sandbox = await startCleverSandbox(
    { consumerKey: 'local', consumerSecret: 'local', userTokens: {}, apiTokens: [LOCAL_TOKEN] },
    port,
  );
  shutdown.add('clever sandbox', () => sandbox.close());
  sandbox.state.addApp(SANDBOX_APP.ownerId, SANDBOX_APP.appId, 'demo', SANDBOX_APP.commit);
  sandbox.state.faults = { ...sandbox.state.faults, deployDurationMs: 8_000, notFoundMs: 1_000 };
  return { apiUrl: sandbox.url, bridgeUrl: sandbox.url, auth: { kind: 'token', token: LOCAL_TOKEN } };
}
