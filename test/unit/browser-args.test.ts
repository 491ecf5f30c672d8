import chromium from '@sparticuz/chromium';
import { describe, expect, it } from 'vitest';
import { secureChromiumArgs } from '../support/browser.ts';

describe('the browser tests launch Chromium', () => {
  it('with web security and site isolation on: none of the switches that turn them off', () => {
    const args = secureChromiumArgs();
    for (const off of ['--disable-web-security', '--disable-site-isolation-trials', '--single-process'])
      expect(args).not.toContain(off);
    expect(args.join(' ')).not.toMatch(/IsolateOrigins|site-per-process|allow-running-insecure-content/);
    // The package's other defaults stay (what it needs to run headless here).
    expect(args).toContain('--no-sandbox');
    expect(args).toContain('--disable-features=AudioServiceOutOfProcess');
    expect(chromium.args).toContain('--disable-web-security'); // so the filter has something to do
  });
});
