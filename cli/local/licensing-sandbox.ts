import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LicenceSettings } from '../../config/licence.ts';
import { LicenceIssuer } from '../../sandbox/licensing/issuer.ts';
import { startLicensingSandbox } from '../../sandbox/licensing/serve.ts';
import type { Shutdown } from '../shutdown.ts';

/**
 * The local stack's licensing server, with a vendor key kept in the data
 * directory so licences issued by it survive restarts. The installation pins
 * that key instead of the real vendor's.
 */
export async function startLocalLicensing(
  dataDir: string,
  port: number,
  settings: LicenceSettings,
  shutdown: Shutdown,
): Promise<LicenceSettings> {
  const file = join(dataDir, 'licensing-vendor.jwk');
  const issuer = existsSync(file)
    ? await LicenceIssuer.restore(JSON.parse(await readFile(file, 'utf8')))
    : await LicenceIssuer.create();
  if (!existsSync(file)) await writeFile(file, JSON.stringify(await issuer.privateJwk()), { mode: 0o600 });
  const server = await startLicensingSandbox(port, issuer);
  shutdown.add('licensing sandbox', () => server.close());
  return { ...settings, publicKeys: issuer.pinned(), issuer: issuer.issuer, licensingServerUrl: server.url };
}
