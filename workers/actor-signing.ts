import type { WorkflowClientInterceptor, WorkflowStartInput } from '@temporalio/client';
import { signActor, type SignedActor } from '../domain/actor-proof.ts';

function isActor(value: unknown): value is SignedActor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SignedActor).type === 'string' &&
    typeof (value as SignedActor).id === 'string'
  );
}

/** The input with its `actor` signed for this workflow id; inputs without an actor pass as they are. */
function signed(input: WorkflowStartInput, secret: Uint8Array): WorkflowStartInput {
  const [first, ...rest] = input.options.args;
  const actor = (first as { actor?: unknown } | undefined)?.actor;
  if (!isActor(actor)) return input;
  const proof = signActor(secret, input.options.workflowId, actor);
  return {
    ...input,
    options: { ...input.options, args: [{ ...(first as object), actor: { ...actor, proof } }, ...rest] },
  };
}

/**
 * Signs the actor of every workflow this client starts with the installation's
 * secret. Workflows check the proof before they act (workflows/acting-for.ts),
 * so whoever reaches Temporal without the secret cannot start a write as
 * someone else.
 */
export function actorSigning(secret: Uint8Array): WorkflowClientInterceptor {
  return {
    startWithDetails: (input, next) => next(signed(input, secret)),
  };
}
