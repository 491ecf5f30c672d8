import { rm } from 'node:fs/promises';
import chromium from '@sparticuz/chromium';
import { startsCleanly } from '../../cli/local/tool-check.ts';

/**
 * The path of @sparticuz/chromium's browser. The package unpacks it once into the temporary folder and trusts any
 * file it finds there later; one that does not start (cut short, from another version) is removed and unpacked again.
 */
export async function chromiumExecutable(): Promise<string> {
  const path = await chromium.executablePath();
  if (startsCleanly(path, ['--version'])) return path;
  await rm(path, { force: true });
  const again = await chromium.executablePath();
  if (!startsCleanly(again, ['--version'])) throw new Error(`Chromium unpacked at ${again} does not start`);
  return again;
}
