import { describe, expect, it } from 'vitest';
import {
  isFingerprinted,
  isSafeAssetName,
  negotiateEncoding,
  planRetention,
  type RetainedBuild,
} from '../../domain/assets.ts';

const now = new Date('2026-01-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const build = (id: number, age: number, files: string[], status: RetainedBuild['status'] = 'ready'): RetainedBuild => ({
  id,
  status,
  createdAt: hoursAgo(age),
  files,
});
const rule = { keepPrevious: 2, keepYoungerThanMs: 3_600_000 };

describe('asset retention', () => {
  it('keeps the live build, the two newest others and anything younger than an hour', () => {
    const builds = [
      build(1, 9, ['a', 's']),
      build(2, 8, ['b']),
      build(3, 7, ['c', 's']),
      build(4, 6, ['d']),
      build(5, 0.5, ['e']),
    ];
    const plan = planRetention(builds, 5, { ...rule, keepPrevious: 1 }, now);
    expect(plan.keep.sort()).toEqual([4, 5]);
    const young = planRetention(builds, 4, rule, now);
    expect(young.keep.sort()).toEqual([3, 4, 5]);
    expect(young.drop.sort()).toEqual([1, 2]);
    expect(young.deleteFiles).toEqual(['a', 'b']); // 's' is shared with kept build 3
    // After a rollback to 2, the newest two others (5, 4) stay: rolling forward again must find its files.
    const rolledBack = planRetention(builds, 2, { ...rule, keepYoungerThanMs: 0 }, now);
    expect(rolledBack.keep.sort()).toEqual([2, 4, 5]);
    expect(rolledBack.deleteFiles).toEqual(['a', 'c', 's']);
  });

  it('drops abandoned builds older than the window, never one already deleted', () => {
    const builds = [build(1, 5, ['x'], 'deleted'), build(2, 3, ['y'], 'building'), build(3, 2, ['z'])];
    const plan = planRetention(builds, 3, { keepPrevious: 0, keepYoungerThanMs: 3_600_000 }, now);
    expect(plan).toEqual({ keep: [3], drop: [2], deleteFiles: ['y'] });
  });
});

describe('asset serving rules', () => {
  it('prefers br, then gzip, honouring q=0 and what exists', () => {
    expect(negotiateEncoding('gzip, deflate, br', ['br', 'gzip'])).toBe('br');
    expect(negotiateEncoding('gzip, br;q=0', ['br', 'gzip'])).toBe('gzip');
    expect(negotiateEncoding('br', ['gzip'])).toBeUndefined();
    expect(negotiateEncoding('*', ['br', 'gzip'])).toBe('br');
    expect(negotiateEncoding(undefined, ['br', 'gzip'])).toBeUndefined();
  });

  it('knows fingerprinted names and refuses anything but one file name', () => {
    expect(isFingerprinted('main-ABCDEF23.js')).toBe(true);
    expect(isFingerprinted('main-ABCDEF23.js.map')).toBe(true);
    expect(isFingerprinted('main.js')).toBe(false);
    for (const bad of ['../x.js', 'a/b.js', '.env', '..', 'a\\b.js', '']) expect(isSafeAssetName(bad), bad).toBe(false);
    expect(isSafeAssetName('main-ABCDEF23.js.br')).toBe(true);
  });
});
