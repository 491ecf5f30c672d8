import type { Sql } from './pool.ts';

/** This installation's id: made once, kept forever. */
export async function installationId(sql: Sql): Promise<string> {
  // Read first: every licence read and heartbeat asks, and only the very first may need to write.
  const [found] = await sql<{ id: string }[]>`select id from installation`;
  if (found) return found.id;
  const [row] = await sql<{ id: string }[]>`
    insert into installation default values on conflict (singleton) do update set singleton = true returning id`;
  return row!.id;
}

/** The installation's key for signing actors (see domain/actor-proof.ts). */
export async function actorSecret(sql: Sql): Promise<Uint8Array> {
  await installationId(sql);
  const [row] = await sql<{ actor_secret: Uint8Array }[]>`select actor_secret from installation`;
  return row!.actor_secret;
}
