import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazySchema } from '../../contracts/lazy.ts';

const contracts = new URL('../../contracts/', import.meta.url);

describe('lazySchema names (contracts/lazy.ts)', () => {
  // Workflow runs share built schemas by name: two declarations under one name would parse with one schema.
  it('names each schema after its file and const, so no two share a name', () => {
    const wrong: string[] = [];
    let count = 0;
    for (const file of readdirSync(contracts).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(new URL(file, contracts), 'utf8');
      const calls = text.match(/lazySchema\(/g)?.length ?? 0;
      const named = [...text.matchAll(/const (\w+) = lazySchema\(\s*'([^']*)',/g)];
      count += named.length;
      if (file !== 'lazy.ts' && named.length !== calls)
        wrong.push(`${file}: a lazySchema call not named as the rule says`);
      for (const [, name, key] of named)
        if (key !== `${file.replace(/\.ts$/, '')}.${name}`) wrong.push(`${file}: ${name} is named '${key}'`);
    }
    expect(wrong).toEqual([]);
    expect(count).toBeGreaterThan(50);
  });

  // The workflow bundle's `zod` is workflows/zod-on-demand.cjs, which has `z` and nothing else.
  it('imports from zod only `z` where workflow code can reach it', () => {
    const wrong: string[] = [];
    for (const folder of ['contracts', 'workflows', 'domain']) {
      const dir = new URL(`../../${folder}/`, import.meta.url);
      for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
        const text = readFileSync(new URL(file, dir), 'utf8');
        for (const [line] of text.matchAll(/^import (?!type )[^;]*from 'zod(\/[^']*)?';$/gm))
          if (line !== "import { z } from 'zod';") wrong.push(`${folder}/${file}: ${line}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('outside workflow code, builds on first use and reads through to the schema', () => {
    let builds = 0;
    const schema = lazySchema('test.one', () => {
      builds++;
      return z.object({ name: z.string().min(1) });
    });
    expect(builds).toBe(0);
    expect(schema.safeParse({ name: 'x' }).success).toBe(true);
    expect(schema.safeParse({ name: '' }).success).toBe(false);
    expect(Object.keys(schema.shape)).toEqual(['name']);
    expect(builds).toBe(1);
  });
});
