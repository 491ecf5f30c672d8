import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Which top-level folders each layer may import from (type imports too):
 * `cli`/`api` → `workers` → `workflows` → `contracts` ← `activities` → `db`,
 * with `config` beneath all and `domain` (pure logic) beside it.
 */
/** What a file at the repository's root (vitest.config.ts, eslint.config.js) counts as when imported. */
export const ROOT_FILES = '(root files)';

export const allowedImports: Record<string, readonly string[]> = {
  config: [],
  domain: ['config'],
  contracts: ['config', 'domain'],
  db: ['config', 'domain'],
  activities: ['contracts', 'db', 'config', 'domain'],
  workflows: ['contracts', 'config'],
  workers: ['workflows', 'activities', 'contracts', 'db', 'config', 'domain'],
  api: ['workers', 'contracts', 'db', 'config', 'domain'],
  sandbox: ['config', 'domain'],
  cli: ['api', 'workers', 'contracts', 'db', 'config', 'domain', 'sandbox'],
  // The browser console talks to the server over HTTP only: its bundle carries none of the server's code.
  web: [],
  bin: ['cli'],
  // The production build bundles the workflows; the rest of deploy/ is manifests.
  deploy: ['workers', 'config'],
  // Benchmarks drive the whole stack as the tests do, and share the tests' helpers.
  bench: ['cli', 'api', 'workers', 'workflows', 'activities', 'contracts', 'db', 'config', 'domain', 'sandbox', 'test'],
  test: [
    'cli',
    'api',
    'workers',
    'workflows',
    'activities',
    'contracts',
    'db',
    'config',
    'domain',
    'sandbox',
    'web',
    'deploy',
    ROOT_FILES,
  ],
};

/** Top-level folders that hold no code (the check fails when one gains a source file). */
export const codeFreeFolders: readonly string[] = ['docs', 'patches', '.ci'];

/** Folders nobody commits: installed, built or written by a run, each ignored by .gitignore. */
export const generatedFolders: readonly string[] = [
  '.git',
  'node_modules',
  '.capstan',
  'coverage',
  'dist',
  'test-results',
];

/** Top-level folders under `root` that the check has no rule for: a layer, a code-free folder or a generated one. */
export function unruledFolders(root: string): string[] {
  return topFolders(root).filter(
    (name) => !(name in allowedImports) && !codeFreeFolders.includes(name) && !generatedFolders.includes(name),
  );
}

function topFolders(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e: Dirent) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export interface SourceFile {
  /** Path from the repository root, with `/`. */
  path: string;
  text: string;
}

export interface WrongImport {
  from: string;
  to: string;
  specifier: string;
}

const IMPORT = /(?:^|\n)[^\S\n]*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every relative import that leaves its layer for one the table does not allow. */
export function wrongImports(files: SourceFile[]): WrongImport[] {
  const wrong: WrongImport[] = [];
  for (const file of files) {
    const layer = file.path.split('/')[0]!;
    const allowed = allowedImports[layer];
    if (!allowed) continue;
    for (const match of file.text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (!specifier.startsWith('.')) continue;
      const target = relative('.', join(dirname(file.path), specifier))
        .split('\\')
        .join('/');
      const targetLayer = target.includes('/') ? target.split('/')[0]! : ROOT_FILES;
      if (targetLayer !== layer && !allowed.includes(targetLayer))
        wrong.push({ from: file.path, to: target, specifier });
    }
  }
  return wrong;
}

/** The TypeScript and JavaScript sources under `root`'s folders, generated ones aside; code-free folders included, so code there shows. */
export function layerSources(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|js)$/.test(entry.name)) files.push({ path, text: readFileSync(resolve(root, path), 'utf8') });
    }
  };
  for (const folder of topFolders(root)) if (!generatedFolders.includes(folder)) walk(folder);
  return files;
}
