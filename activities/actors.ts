import type { Actor } from '../contracts/common.ts';
import { actorSecret } from '../db/installation.ts';
import type { Sql } from '../db/pool.ts';
import { actorProven } from '../domain/actor-proof.ts';
import { refuse } from './failures.ts';

export function createActorActivities({ sql }: { sql: Sql }) {
  let secret: Promise<Uint8Array> | undefined;

  /**
   * The actor a workflow acts for must carry the proof the API made for this
   * very run; a start from anywhere else (the Web UI, `temporal workflow start`,
   * a forged client) is refused before anything is written.
   */
  async function checkActor(input: { workflowId: string; actor: Actor }): Promise<void> {
    secret ??= actorSecret(sql);
    if (!actorProven(await secret, input.workflowId, input.actor)) {
      refuse(
        'Forbidden',
        `The actor ${input.actor.type}:${input.actor.id} of ${input.workflowId} is not vouched for by the API; start writes through the API or the capstan CLI.`,
      );
    }
  }

  return { checkActor };
}
