import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

export const root = new URL('../..', import.meta.url).pathname;

/** README.md and every page under docs/, as paths from the repository root. */
export function markdownPages(): string[] {
  const pages = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(path);
    }
  };
  walk('docs');
  return pages.sort();
}

export const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** The text outside fenced code blocks and inline code: where links are links. */
export function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every `capstan …` command named in code (inline or fenced), as its first two words. */
export function commandsIn(markdown: string): string[] {
  const code = [...markdown.matchAll(/(?<!`)```[^\n]*\n([\s\S]*?)```|(?<!`)`([^`\n]+)`/g)].map((m) => m[1] ?? m[2]!);
  return code.flatMap((c) =>
    [...c.matchAll(/(?<![\w-])capstan +([a-z][\w-]*)(?: +([a-z][\w-]*))?/g)].map((m) =>
      [m[1], m[2]].filter(Boolean).join(' '),
    ),
  );
}

/** The relative links of a page (`[text](target)`), web addresses and mail aside. */
export function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][\w+.-]*:/i.test(target));
}

/** The anchors GitHub makes of a page's headings (`## The path of one write` → `the-path-of-one-write`). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const headings = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').matchAll(/^#{1,6} (.*)$/gm);
  for (const [, heading] of headings) {
    const slug = heading!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** Where a link from `page` points, from the repository root, and its anchor. */
export function resolveLink(page: string, target: string): { path: string; anchor?: string } {
  const [file, anchor] = target.split('#') as [string, string | undefined];
  const path = file ? relative(root, join(root, page, '..', decodeURIComponent(file))) : page;
  return { path, anchor };
}

export interface CommandNode {
  name: string;
  subcommands: CommandNode[];
}

/** The `capstan` command tree, read from the program cli/main.ts builds (test/support/cli-tree.ts). */
export async function capstanCommands(): Promise<CommandNode> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/support/cli-tree.ts'], {
    cwd: root,
  });
  return JSON.parse(stdout) as CommandNode;
}

/** Why `capstan <command>` (its first two words) is not in the tree, or undefined when it is. */
export function missingCommand(program: CommandNode, command: string): string | undefined {
  const [top, sub] = command.split(' ');
  const found = program.subcommands.find((c) => c.name === top);
  if (!found) return `no command "${top}" in capstan's help`;
  if (sub && found.subcommands.length && !found.subcommands.some((c) => c.name === sub)) return `no "${command}"`;
  return undefined;
}
