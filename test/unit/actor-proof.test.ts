import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalInput,
  PROOF_TTL_MS,
  scheduledRunOf,
  signCommand,
  signedArgs,
  signSchedule,
  verifyProof,
} from '../../domain/actor-proof.ts';

const secret = randomBytes(32);
const actor = { type: 'User', id: '7' };
const input = { accountId: 3, role: 'agent', actor };
const command = { type: 'changeRole', workflowId: 'member-role:3:7:k', input };
const withProof = (proof: string, i: object = input) => ({ ...i, actor: { ...actor, proof } });

describe('canonical input', () => {
  it('is the same whatever the key order, undefined fields or proof, and differs with any value', () => {
    const a = canonicalInput({ b: [1, { y: 2, x: 1 }], a: 'x', actor: { id: '7', type: 'User', proof: 'p' } });
    const b = canonicalInput({ actor: { type: 'User', id: '7' }, a: 'x', skip: undefined, b: [1, { x: 1, y: 2 }] });
    expect(a).toBe(b);
    expect(canonicalInput({ a: 'x', b: [{ x: 1, y: 2 }, 1] })).not.toBe(
      canonicalInput({ a: 'x', b: [1, { x: 1, y: 2 }] }),
    );
    expect(canonicalInput(undefined)).toBe('null');
  });
});

describe('a command proof', () => {
  const proof = signCommand(secret, command);

  it('is good for its type, id and input, with a nonce and an expiry', () => {
    const verdict = verifyProof(secret, { ...command, input: withProof(proof) });
    expect(verdict).toMatchObject({ outcome: 'command', nonce: proof.split('.')[2] });
    expect(signCommand(secret, command).split('.')[2]).not.toBe(proof.split('.')[2]);
  });

  it('is worth nothing under another type, id, input, secret, or past its age', () => {
    const refused = { outcome: 'refused' };
    expect(verifyProof(secret, { ...command, type: 'addMember', input: withProof(proof) })).toMatchObject(refused);
    expect(verifyProof(secret, { ...command, workflowId: 'member-role:3:7:j', input: withProof(proof) })).toMatchObject(
      refused,
    );
    expect(
      verifyProof(secret, { ...command, input: withProof(proof, { ...input, role: 'administrator' }) }),
    ).toMatchObject(refused);
    expect(verifyProof(randomBytes(32), { ...command, input: withProof(proof) })).toMatchObject(refused);
    expect(verifyProof(secret, { ...command, input })).toMatchObject({
      outcome: 'refused',
      reason: 'it carries no proof',
    });
    const late = Date.now() + PROOF_TTL_MS + 1000;
    expect(verifyProof(secret, { ...command, input: withProof(proof) }, late)).toMatchObject({
      outcome: 'refused',
      reason: 'its proof is too old',
    });
  });

  it('is made afresh by signedArgs, replacing an old one; arguments without an actor pass unsigned', () => {
    const [signed] = signedArgs(secret, command.type, command.workflowId, [withProof(proof)]);
    const fresh = (signed as { actor: { proof: string } }).actor.proof;
    expect(fresh).not.toBe(proof);
    expect(verifyProof(secret, { ...command, input: signed })).toMatchObject({ outcome: 'command' });
    expect(signedArgs(secret, 'deliverWebhook', 'delivery:1', [{ deliveryId: '1' }])).toEqual([{ deliveryId: '1' }]);
  });
});

describe('a schedule proof', () => {
  const scheduled = { retentionDays: 30, actor: { type: 'Operator', id: 'schedule:dead-letter-retention' } };
  const proof = signSchedule(secret, 'dead-letter-retention', 'purgeDeadLetters', scheduled);
  const run = (workflowId: string, i: object = scheduled) => ({
    type: 'purgeDeadLetters',
    workflowId,
    input: { ...i, actor: { ...scheduled.actor, proof } },
  });

  it("names the schedule from the server's run id", () => {
    expect(scheduledRunOf('dead-letter-retention-workflow-2026-12-03T17:00:00Z')).toBe('dead-letter-retention');
    expect(scheduledRunOf('dead-letter-retention-workflow')).toBeUndefined();
    expect(scheduledRunOf('dead-letters-purge:k-2026-12-03T17:00:00Z')).toBeUndefined();
  });

  it("is good for that schedule's runs, type and input only", () => {
    expect(verifyProof(secret, run('dead-letter-retention-workflow-2026-12-03T17:00:00Z'))).toEqual({
      outcome: 'schedule',
      scheduleId: 'dead-letter-retention',
    });
    expect(verifyProof(secret, run('dead-letters-purge:k'))).toMatchObject({ outcome: 'refused' });
    expect(verifyProof(secret, run('other-workflow-2026-12-03T17:00:00Z'))).toMatchObject({ outcome: 'refused' });
    expect(
      verifyProof(
        secret,
        run('dead-letter-retention-workflow-2026-12-03T17:00:00Z', { ...scheduled, retentionDays: 1 }),
      ),
    ).toMatchObject({ outcome: 'refused' });
    expect(
      verifyProof(secret, {
        ...run('dead-letter-retention-workflow-2026-12-03T17:00:00Z'),
        type: 'collectAssetGarbage',
      }),
    ).toMatchObject({ outcome: 'refused' });
  });
});
