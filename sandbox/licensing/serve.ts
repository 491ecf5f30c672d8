import { serve } from '@hono/node-server';
import { createLicensingSandbox } from './app.ts';
import { LicenceIssuer } from './issuer.ts';

export async function startLicensingSandbox(port = 0, issuer?: LicenceIssuer) {
  const vendor = issuer ?? (await LicenceIssuer.create());
  const sandbox = createLicensingSandbox(vendor);
  return new Promise<{ url: string; issuer: LicenceIssuer; sandbox: typeof sandbox; close(): Promise<void> }>(
    (resolve, reject) => {
      const server = serve({ fetch: sandbox.app.fetch, hostname: '127.0.0.1', port }, (info) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          issuer: vendor,
          sandbox,
          close: () =>
            new Promise((done) => {
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
              server.close(() => done());
            }),
        }),
      );
      server.once('error', reject); // a port in use fails the start instead of crashing the process
    },
  );
}
