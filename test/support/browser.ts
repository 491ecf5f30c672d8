import chromium from '@sparticuz/chromium';

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
