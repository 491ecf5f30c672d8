import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, 'docs/runbooks');
const pages = readdirSync(dir).filter((f) => f.endsWith('.md'));
const text = (page: string) => readFileSync(join(dir, page), 'utf8');

/** The failures an operator meets, one page each (issue 11). */
const failures = [
  'webhook-dead-letters.md',
  'deploy-stuck-or-failed.md',
  'licence-grace-or-expired.md',
  'breaker-open.md',
  'worker-down.md',
  'temporal-unreachable.md',
  'postgresql-full.md',
];

/** Every `capstan …` command named in code (inline or fenced), as its first two words. */
function commandsIn(markdown: string): string[] {
  const code = [...markdown.matchAll(/(?<!`)```[^\n]*\n([\s\S]*?)```|(?<!`)`([^`\n]+)`/g)].map((m) => m[1] ?? m[2]!);
  return code.flatMap((c) =>
    [...c.matchAll(/(?<![\w-])capstan +([a-z][\w-]*)(?: +([a-z][\w-]*))?/g)].map((m) =>
      [m[1], m[2]].filter(Boolean).join(' '),
    ),
  );
}

const named = [...new Set(pages.flatMap((p) => commandsIn(text(p))))].sort();

interface CommandNode {
  name: string;
  subcommands: CommandNode[];
}
let program: CommandNode;

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/support/cli-tree.ts'], {
    cwd: root,
  });
  program = JSON.parse(stdout) as CommandNode;
}, 120_000);

describe('runbooks', () => {
  it('have one page per failure, each linked from the index', () => {
    const index = text('README.md');
    for (const page of failures) {
      expect(pages).toContain(page);
      expect(index).toContain(`(${page})`);
    }
  });

  it.each(failures)('%s names a Web UI query, capstan commands and what resolved looks like', (page) => {
    const body = text(page);
    expect(body).toMatch(/Capstan(Kind|AccountId|AppId|UserId) = '|ExecutionStatus = '/);
    expect(commandsIn(body).length).toBeGreaterThan(0);
    expect(body).toMatch(/^## Resolved when$/m);
  });

  it('name at least the triage commands', () => {
    expect(named).toEqual(expect.arrayContaining(['admin promote', 'admin force-reset', 'admin debug-auth']));
  });

  // A command another branch adds fails here until it is merged: the failures name exactly those.
  it.each(named)('`capstan %s` exists in the CLI', (command) => {
    const [top, sub] = command.split(' ');
    const found = program.subcommands.find((c) => c.name === top);
    expect(found, `no command "${top}" in capstan's help`).toBeDefined();
    if (sub && found!.subcommands.length)
      expect(
        found!.subcommands.map((c) => c.name),
        `no "${command}"`,
      ).toContain(sub);
  });
});
