/**
 * Secrets older rows keep in clear, which today's code no longer writes:
 * - deploy environment values, sealed now (activities/sealed-input.ts `sealEnv`) with keys a
 *   migration does not hold: the clear values are dropped instead, their names kept. No code
 *   reads them (a rollback restores from its own run), and a secret at rest is worse than a
 *   lost record of it;
 * - dead letters' readable inputs, censored now by the logs' rule (config/redact.ts): the
 *   actor's proof and a deploy's environment values, the two shapes every letter of those
 *   kinds held, are censored here; the API censors anything else again as it serves a letter.
 */
/** The map at `column` with the values of the given JSON types censored, its names kept. */
const censor = (column, types) => `
  (select coalesce(jsonb_object_agg(key, case when jsonb_typeof(value) in (${types})
                                              then to_jsonb('[redacted]'::text) else value end), '{}'::jsonb)
     from jsonb_each(${column}))`;
// Clear values are strings; sealed ones are objects and stay.
const censorStrings = (column) => censor(column, "'string'");
const censorAllButNull = (column) => censor(column, "'string', 'number', 'boolean', 'object', 'array'");

export async function up(sql) {
  await sql.unsafe(`
    update deployments d
       set env_changes = ${censorStrings('d.env_changes')}, env_before = ${censorStrings('d.env_before')}
     where exists (select 1 from jsonb_each(d.env_changes) where jsonb_typeof(value) = 'string')
        or exists (select 1 from jsonb_each(d.env_before) where jsonb_typeof(value) = 'string')`);
  await sql`
    update dead_letters set input_redacted = jsonb_set(input_redacted, '{0,actor,proof}', '"[redacted]"')
     where jsonb_typeof(input_redacted #> '{0,actor,proof}') = 'string'
       and input_redacted #>> '{0,actor,proof}' <> '[redacted]'`;
  await sql.unsafe(`
    update dead_letters set input_redacted = jsonb_set(input_redacted, '{0,env}', ${censorAllButNull("input_redacted #> '{0,env}'")})
     where case when jsonb_typeof(input_redacted #> '{0,env}') = 'object'
                then exists (select 1 from jsonb_each(input_redacted #> '{0,env}')
                              where value <> '"[redacted]"' and value <> 'null')
                else false end`);
}

/** What up() censored is gone; censored rows read the same on older code. */
export async function down() {}
