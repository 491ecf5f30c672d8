import type {
  WorkflowClientInterceptor,
  WorkflowStartInput,
  WorkflowStartUpdateWithStartInput,
} from '@temporalio/client';
import { signedArgs } from '../domain/actor-proof.ts';

function signed(input: WorkflowStartInput, secret: Uint8Array): WorkflowStartInput {
  const args = signedArgs(secret, input.workflowType, input.options.workflowId, input.options.args);
  return { ...input, options: { ...input.options, args } };
}

function signedWithUpdate(input: WorkflowStartUpdateWithStartInput, secret: Uint8Array) {
  const options = input.workflowStartOptions;
  const args = signedArgs(secret, input.workflowType, options.workflowId, options.args);
  return { ...input, workflowStartOptions: { ...options, args } };
}

/**
 * Signs the actor of every workflow this client starts with the installation's
 * secret. The workflow's first write checks the proof and spends its nonce
 * (activities/proofs.ts), so whoever reaches Temporal without the secret can
 * neither start a write as someone else nor start a signed command again.
 */
export function actorSigning(secret: Uint8Array): WorkflowClientInterceptor {
  return {
    startWithDetails: (input, next) => next(signed(input, secret)),
    startUpdateWithStart: (input, next) => next(signedWithUpdate(input, secret)),
  };
}
