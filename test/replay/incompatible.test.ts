import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../config/logger.ts';
import { bundleWorkflows } from '../../workers/bundle.ts';
import { installRuntime } from '../../workers/runtime.ts';
import { loadHistories, patchesOf, replayErrors, type StoredHistory } from './histories.ts';

const changed = fileURLToPath(new URL('./fixtures/changed-workflows.ts', import.meta.url));
let bundle: { code: string };
let histories: StoredHistory[];
const pick = (...files: string[]) => histories.filter((h) => files.includes(h.file));

beforeAll(async () => {
  installRuntime(createLogger({ level: 'silent' }));
  histories = await loadHistories();
  // Production's recipe (workers/bundle.ts) over the changed workflows: bundled once for the file.
  bundle = await bundleWorkflows(changed);
});

describe('replay catches an incompatible change to workflow code', () => {
  it('a write moved from a local to an ordinary activity: DeterminismViolationError on provisionAccount', async () => {
    const errors = await replayErrors(bundle, pick('provisionAccount.json', 'createInbox.json'));
    expect(Object.keys(errors)).toEqual(['provisionAccount.json']); // the unchanged workflow still replays
    expect(errors['provisionAccount.json']).toMatch(/^DeterminismViolationError: .*[Nn]ondeterminism/);
  });

  it('a new command without patched(): the runs recorded before it fail, hence triage.ts guards it', async () => {
    const errors = await replayErrors(bundle, pick('revokePromotion-before-triage-tags-user.json'));
    expect(errors['revokePromotion-before-triage-tags-user.json']).toMatch(/^DeterminismViolationError/);
  });
});

describe('the patched() change in workflows/triage.ts, on the production bundle', () => {
  it('replays the runs from before it (no marker) and the runs after it (with the marker)', async () => {
    const before = pick(
      'revokePromotion-before-triage-tags-user.json',
      'extendPromotion-before-triage-tags-user.json',
      'forceReset-before-triage-tags-user.json',
    );
    // After it and before the next patch of these types (proof-binds-command, test/replay/proof-patch.test.ts).
    const after = pick(
      'revokePromotion-before-proof-binds-command.json',
      'extendPromotion-before-proof-binds-command.json',
      'forceReset-before-proof-binds-command.json',
    );
    expect(before.map(patchesOf)).toEqual([[], [], []]);
    expect(after.map(patchesOf)).toEqual([['triage-tags-user'], ['triage-tags-user'], ['triage-tags-user']]);
    // What the change is for: the runs after it are found under their user.
    const tagged = (h: StoredHistory) =>
      !!h.history.events?.some(
        (e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.CapstanUserId,
      );
    expect([...before, ...after].map(tagged)).toEqual([false, false, false, true, true, true]);
    expect(await replayErrors({ codePath: inject('workflowBundlePath') }, [...before, ...after])).toEqual({});
  });
});
