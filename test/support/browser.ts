import { rm } from 'node:fs/promises';
import chromium from '@sparticuz/chromium';
import { startsCleanly } from '../../cli/local/tool-check.ts';

/**
 * Switches of @sparticuz/chromium's defaults that turn off what a browser test must see: the same-origin
 * policy and CORS (`--disable-web-security`, with it no `Origin` is sent), mixed-content blocking, and site
 * isolation (its trials, the IsolateOrigins and site-per-process features, one process for every site).
 */
const insecure = new Set([
  '--disable-web-security',
  '--disable-site-isolation-trials',
  '--allow-running-insecure-content',
  '--single-process',
]);
const isolationFeatures = new Set(['IsolateOrigins', 'site-per-process']);

/** Chromium's arguments for tests: the package's defaults with web security and site isolation left on. */
export function secureChromiumArgs(args: readonly string[] = chromium.args): string[] {
  return args
    .filter((arg) => !insecure.has(arg))
    .map((arg) => {
      if (!arg.startsWith('--disable-features=')) return arg;
      const kept = arg
        .slice('--disable-features='.length)
        .split(',')
        .filter((f) => !isolationFeatures.has(f));
      return kept.length ? `--disable-features=${kept.join(',')}` : '';
    })
    .filter(Boolean);
}

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
