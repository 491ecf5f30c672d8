import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who acts, as workflow inputs and audit rows carry it; `proof` binds it to one workflow run. */
export interface SignedActor {
  type: string;
  id: string;
  proof?: string;
}

function mac(secret: Uint8Array, workflowId: string, actor: SignedActor): Buffer {
  return createHmac('sha256', secret).update(`capstan-actor-v1\n${workflowId}\n${actor.type}\n${actor.id}`).digest();
}

/** The proof the API attaches when it starts `workflowId` for this actor. */
export function signActor(secret: Uint8Array, workflowId: string, actor: SignedActor): string {
  return mac(secret, workflowId, actor).toString('base64url');
}

/** True when the proof was made with the installation's secret for this very workflow id and actor. */
export function actorProven(secret: Uint8Array, workflowId: string, actor: SignedActor): boolean {
  if (!actor.proof) return false;
  const given = Buffer.from(actor.proof, 'base64url');
  const expected = mac(secret, workflowId, actor);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
