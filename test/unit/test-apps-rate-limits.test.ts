import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/**
 * Request budgets are counted in PostgreSQL, which every test file's API shares, and every test client is
 * 127.0.0.1: an API a test builds with the production budgets is refused (429) once the whole suite has sent
 * more than 1,200 requests in a minute. Every app a test serves states its budgets.
 */
// These answer in-process requests that no budget counts (the document; the table's shape; /readyz, before limits).
const servesNoTraffic = new Set([
  'test/api/openapi.test.ts',
  'test/api/authorization-table.test.ts',
  'test/api/readiness.test.ts',
]);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

it('every API a test builds with createApp states its request budgets', () => {
  const missing = testFiles('test')
    .filter((path) => !servesNoTraffic.has(path))
    .flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      return [...text.matchAll(/createApp\(\{/g)]
        .filter((m) => !/rateLimits/.test(text.slice(m.index, m.index + 800)))
        .map(() => path);
    });
  expect(missing).toEqual([]);
});

it("a test that spends an address budget the suite's shared traffic could reach has a database of its own", () => {
  // Every file's requests come from 127.0.0.1 and count in one row of the shared database's rate_limits: an
  // address budget below what the whole suite sends in a window is spent by other files, not by the test.
  const shared = testFiles('test').filter((path) => {
    const text = readFileSync(path, 'utf8');
    const small = [...text.matchAll(/perAddress:\s*([\d_]+)/g)].some(
      (m) => Number(m[1]!.replace(/_/g, '')) < 1_000_000,
    );
    return small && !/ownDatabase:\s*true/.test(text);
  });
  expect(shared).toEqual([]);
});
