import { describe, expect, it } from 'vitest';
import { nonRetryableTypes } from '../../config/failures.ts';
import { workflows } from '../../contracts/workflows.ts';
import * as bundle from '../../workflows/index.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allowedImports,
  codeFreeFolders,
  generatedFolders,
  layerSources,
  unruledFolders,
  wrongImports,
} from '../support/layers.ts';

const sources = layerSources('.');

describe('the one-way architecture', () => {
  it('has no import that goes against the layers', () => {
    expect(wrongImports(sources)).toEqual([]);
  });

  it('catches a reversed import, a type import and a re-export', () => {
    const wrong = wrongImports([
      { path: 'db/licence.ts', text: "import type { LicenceClaims } from '../activities/licence.ts';" },
      {
        path: 'workflows/x.ts',
        text: "import {\n  createActivities,\n} from '../activities/index.ts';\nexport * from '../db/pool.ts';",
      },
      { path: 'config/y.ts', text: "import { z } from 'zod';\nimport { env } from './env.ts';" },
    ]);
    expect(wrong.map((w) => `${w.from} -> ${w.to}`)).toEqual([
      'db/licence.ts -> activities/licence.ts',
      'workflows/x.ts -> activities/index.ts',
      'workflows/x.ts -> db/pool.ts',
    ]);
  });

  it('has a rule for every top-level folder, and code only where a layer rule applies', () => {
    expect(unruledFolders('.')).toEqual([]);
    const layers = new Set(sources.map((f) => f.path.split('/')[0]!));
    expect([...layers].filter((l) => !(l in allowedImports))).toEqual([]);
    expect(sources.filter((f) => codeFreeFolders.some((c) => f.path.startsWith(`${c}/`))).map((f) => f.path)).toEqual(
      [],
    );
    expect([...layers]).toEqual(expect.arrayContaining(['bench', 'deploy', 'test', 'api', 'web']));
    expect(sources.length).toBeGreaterThan(50);
  });

  it('fails on a top-level folder it has no rule for', () => {
    const root = mkdtempSync(join(tmpdir(), 'capstan-layers-'));
    try {
      for (const folder of ['api', 'docs', 'node_modules', 'reports']) mkdirSync(join(root, folder));
      writeFileSync(join(root, 'reports/weekly.ts'), "import { sql } from '../db/pool.ts';\n");
      expect(unruledFolders(root)).toEqual(['reports']);
      expect(layerSources(root).map((f) => f.path)).toEqual(['reports/weekly.ts']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('skips only folders git ignores', () => {
    const ignored = readFileSync('.gitignore', 'utf8')
      .split('\n')
      .map((l) => l.replace(/\/$/, ''));
    expect(generatedFolders.filter((f) => f !== '.git' && !ignored.includes(f))).toEqual([]);
  });
});

describe('the catalogue', () => {
  it("has a workflow in the bundle for every entry, under the entry's type", () => {
    for (const [name, entry] of Object.entries(workflows)) {
      expect(entry.type).toBe(name);
      expect(typeof (bundle as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('is the only place that starts a workflow by name or declares a retry policy', () => {
    const byName = /\b(?:workflow\.(?:start|execute|signalWithStart)|startChild|executeChild)(?:<[^>]*>)?\(\s*['"`]/;
    const retryPolicy = /\b(?:backoffCoefficient|maximumAttempts|nonRetryableErrorTypes)\s*:/;
    // Tests and benchmarks may start a workflow by hand: they check the application, not belong to it.
    const offenders = sources
      .filter((f) => !/^(test|bench)\//.test(f.path))
      .filter((f) => byName.test(f.text) || (retryPolicy.test(f.text) && f.path !== 'config/catalogue.ts'))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it("starts every child workflow with its entry's options (queue, timeout, search attributes, Web UI summary)", () => {
    const calls = sources
      .filter((f) => f.path.startsWith('workflows/'))
      .flatMap((f) =>
        [...f.text.matchAll(/\b(?:startChild|executeChild)(?:<[^(]*?>)?\(/g)].map((m) => ({
          path: f.path,
          call: f.text.slice(m.index, m.index + 200),
        })),
      );
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.filter((c) => !c.call.includes('childOptions(')).map((c) => c.path)).toEqual([]);
  });

  it('builds contract schemas lazily, so a workflow run builds only the ones it parses', () => {
    const eager = /^(?:export )?const \w+ = z\b/m;
    expect(sources.filter((f) => f.path.startsWith('contracts/') && eager.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('gives up at once on every non-retryable failure type', () => {
    expect(nonRetryableTypes).toEqual(
      expect.arrayContaining(['ValidationError', 'NotFound', 'Conflict', 'PaymentRequired', 'DeadlineExceeded']),
    );
    expect(nonRetryableTypes).not.toContain('WebhookAttemptFailed');
  });
});
