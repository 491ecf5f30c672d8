import { describe, expect, it } from 'vitest';
import { nonRetryableTypes } from '../../config/failures.ts';
import { workflows } from '../../contracts/workflows.ts';
import * as bundle from '../../workflows/index.ts';
import { allowedImports, layerSources, wrongImports } from '../support/layers.ts';

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

  it('checks every folder that holds code', () => {
    const folders = new Set(sources.map((f) => f.path.split('/')[0]));
    expect([...folders].sort()).toEqual(
      Object.keys(allowedImports)
        .filter((l) => folders.has(l))
        .sort(),
    );
    expect(sources.length).toBeGreaterThan(50);
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
    const offenders = sources
      .filter((f) => byName.test(f.text) || (retryPolicy.test(f.text) && f.path !== 'config/catalogue.ts'))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
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
