/**
 * Deploy rows used to keep environment values in clear; they are sealed now
 * (activities/sealed-input.ts `sealEnv`), with keys a migration does not hold. The
 * clear values of older rows are dropped instead, their names kept: no code reads
 * them (a rollback restores from its own run), and a secret at rest is worse than
 * a lost record of it.
 */
export async function up(sql) {
  await sql`
    update deployments d
       set env_changes = (select coalesce(jsonb_object_agg(key, case when jsonb_typeof(value) = 'string'
                                         then to_jsonb('[redacted]'::text) else value end), '{}'::jsonb)
                            from jsonb_each(d.env_changes)),
           env_before = (select coalesce(jsonb_object_agg(key, case when jsonb_typeof(value) = 'string'
                                        then to_jsonb('[redacted]'::text) else value end), '{}'::jsonb)
                           from jsonb_each(d.env_before))
     where exists (select 1 from jsonb_each(d.env_changes) where jsonb_typeof(value) = 'string')
        or exists (select 1 from jsonb_each(d.env_before) where jsonb_typeof(value) = 'string')`;
}

/** What up() dropped is gone; sealed and scrubbed rows read the same on older code (names, opaque values). */
export async function down() {}
