import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Which top-level folders each layer may import from (type imports too):
 * `cli`/`api` → `workers` → `workflows` → `contracts` ← `activities` → `db`,
 * with `config` beneath all and `domain` (pure logic) beside it.
 */
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
};

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
      const targetLayer = target.split('/')[0]!;
      if (targetLayer !== layer && !allowed.includes(targetLayer))
        wrong.push({ from: file.path, to: target, specifier });
    }
  }
  return wrong;
}

/** The TypeScript sources of the layers, read from disk. */
export function layerSources(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|js)$/.test(entry.name)) files.push({ path, text: readFileSync(resolve(root, path), 'utf8') });
    }
  };
  for (const layer of Object.keys(allowedImports)) walk(layer);
  return files;
}
