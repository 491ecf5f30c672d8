import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { capstanCommands, commandsIn, missingCommand, type CommandNode } from '../support/docs.ts';

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

const named = [...new Set(pages.flatMap((p) => commandsIn(text(p))))].sort();

let program: CommandNode;

beforeAll(async () => {
  program = await capstanCommands();
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
    expect(missingCommand(program, command)).toBeUndefined();
  });
});
