/**
 * The key the API signs the actor of each workflow it starts with, so a workflow
 * started by anyone else who reaches Temporal cannot claim an actor's rights.
 * gen_random_uuid() draws from PostgreSQL's strong random source; two make 244 random bits.
 */
export async function up(sql) {
  await sql`
    alter table installation add column actor_secret bytea not null
      default decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex')`;
}

export async function down(sql) {
  await sql`alter table installation drop column if exists actor_secret`;
}
