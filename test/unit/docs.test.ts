import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { envSchema } from '../../config/env.ts';
import { ownedSchedules } from '../../workers/schedules.ts';
import {
  anchorsOf,
  capstanCommands,
  commandsIn,
  markdownPages,
  missingCommand,
  read,
  relativeLinks,
  resolveLink,
  root,
  type CommandNode,
} from '../support/docs.ts';

const pages = markdownPages();
const links = pages.flatMap((page) => relativeLinks(read(page)).map((target) => ({ page, target })));
const commands = [...new Set(pages.flatMap((page) => commandsIn(read(page))))].sort();

let program: CommandNode;
beforeAll(async () => {
  program = await capstanCommands();
}, 120_000);

/** Why a link is broken, or undefined. */
function brokenLink(page: string, target: string): string | undefined {
  const { path, anchor } = resolveLink(page, target);
  const file = join(root, path);
  if (!existsSync(file)) return `${path} does not exist`;
  if (anchor === undefined) return undefined;
  if (!path.endsWith('.md') || statSync(file).isDirectory()) return `#${anchor} on a page that is not markdown`;
  return anchorsOf(read(path)).has(anchor) ? undefined : `${path} has no heading #${anchor}`;
}

describe('the README and docs/', () => {
  it('the README is a front door, not the manual', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(200);
  });

  it('links to files and headings that exist, every one of them', () => {
    expect(links.length).toBeGreaterThan(20);
    const broken = links.flatMap(({ page, target }) => {
      const why = brokenLink(page, target);
      return why ? [`${page}: (${target}) — ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('catches a missing file, a missing heading and a link into code', () => {
    expect(brokenLink('README.md', 'docs/nowhere.md')).toBe('docs/nowhere.md does not exist');
    expect(brokenLink('docs/features.md', 'architecture.md#trust')).toBeUndefined();
    expect(brokenLink('docs/features.md', 'architecture.md#no-such-heading')).toMatch(/no heading/);
    expect(brokenLink('docs/features.md', '../db/migrate.ts#L1')).toMatch(/not markdown/);
    expect(relativeLinks('[a](x.md) `[b](y.md)` [c](https://example.test)\n```\n[d](z.md)\n```\n')).toEqual(['x.md']);
  });

  it('shows capstan commands', () => {
    expect(commands).toEqual(expect.arrayContaining(['up', 'migrate down', 'worker', 'admin promote']));
  });

  // A command another branch adds fails here until it is merged: the failures name exactly those.
  it.each(commands)('`capstan %s` exists in the CLI', (command) => {
    expect(missingCommand(program, command)).toBeUndefined();
  });

  it('a command that does not exist is caught', () => {
    expect(missingCommand(program, 'migrate sideways')).toBe('no "migrate sideways"');
    expect(missingCommand(program, 'teleport')).toMatch(/no command "teleport"/);
  });

  it('docs/configuration.md names every setting the environment schema reads', () => {
    const page = read('docs/configuration.md');
    const system = ['USER', 'PATH']; // the system's own, read to find tools, never set for Capstan
    const settings = Object.keys(envSchema.shape).filter((name) => !system.includes(name));
    expect(settings.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });

  it('docs/features.md names every schedule the registry owns', () => {
    const page = read('docs/features.md');
    expect(Object.keys(ownedSchedules).filter((id) => !page.includes(`\`${id}\``))).toEqual([]);
  });
});
