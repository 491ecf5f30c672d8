import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../config/logger.ts';
import { installRuntime } from '../../workers/runtime.ts';
import { PROOF_PATCH } from '../../workflows/acting-for.ts';
import { loadHistories, localActivitiesOf, patchesOf, replayErrors, type StoredHistory } from './histories.ts';

let histories: StoredHistory[];
beforeAll(async () => {
  installRuntime(createLogger({ level: 'silent' }));
  histories = await loadHistories();
});

const BEFORE = `-before-${PROOF_PATCH}.json`;

describe(`the patched('${PROOF_PATCH}') change in workflows/acting-for.ts, on the production bundle`, () => {
  it('runs before it checked the actor in a local activity of its own; runs after it check in the write', () => {
    const before = histories.filter((h) => h.file.endsWith(BEFORE));
    const after = histories.filter((h) => before.some((b) => b.file === h.file.replace('.json', BEFORE)));
    expect(before.length).toBeGreaterThan(30);
    expect(after.map((h) => h.file).sort()).toEqual(before.map((h) => h.file.replace(BEFORE, '.json')).sort());
    expect(before.filter((h) => patchesOf(h).includes(PROOF_PATCH))).toEqual([]);
    expect(after.filter((h) => !patchesOf(h).includes(PROOF_PATCH)).map((h) => h.file)).toEqual([]);
    expect(after.filter((h) => localActivitiesOf(h).includes('checkActor')).map((h) => h.file)).toEqual([]);
    // One local activity fewer per write: provisionAccount (POST /v1/accounts) is its write alone.
    const provision = (file: string) => localActivitiesOf(histories.find((h) => h.file === file)!);
    expect(provision(`provisionAccount${BEFORE}`)).toEqual(['checkActor', 'createAccountWithAdmin']);
    expect(provision('provisionAccount.json')).toEqual(['createAccountWithAdmin']);
  });

  it('both replay', async () => {
    const both = histories.filter((h) => h.file.endsWith(BEFORE) || patchesOf(h).includes(PROOF_PATCH));
    expect(await replayErrors({ codePath: inject('workflowBundlePath') }, both)).toEqual({});
  });
});
