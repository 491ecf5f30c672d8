import type postgres from 'postgres';

/**
 * The schema as PostgreSQL's catalog describes it (embedded PostgreSQL ships no pg_dump): every
 * relation, column, constraint, index, trigger, function, policy, type and extension of the
 * database, its grants and default privileges, and the cluster's roles. Names only, never oids,
 * so a dropped and re-made object compares equal to the first one. An ACL PostgreSQL leaves
 * null means its default: it reads as that default, the same rights a grant and revoke leave explicit.
 */
export async function schemaOf(sql: postgres.Sql): Promise<Record<string, string[]>> {
  const schemas = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'`;
  const queries: Record<string, string> = {
    schemas: `select n.nspname || ' owner=' || pg_get_userbyid(n.nspowner) || ' acl=' || coalesce(n.nspacl, acldefault('n', n.nspowner))::text from pg_namespace n where ${schemas}`,
    relations: `
      select n.nspname || '.' || c.relname || ' kind=' || c.relkind::text || ' owner=' || pg_get_userbyid(c.relowner)
             || ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity || ' acl=' || coalesce(c.relacl, acldefault((case c.relkind when 'S' then 's' else 'r' end)::"char", c.relowner))::text
        from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${schemas} and c.relkind <> 'i'`,
    columns: `
      select n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
             || ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
             || ' identity=' || a.attidentity::text || ' generated=' || a.attgenerated::text
             || ' collation=' || coalesce((select collname from pg_collation where oid = a.attcollation), '')
             || ' acl=' || coalesce(a.attacl::text, '')
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where ${schemas} and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped`,
    constraints: `
      select n.nspname || '.' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       where ${schemas}`,
    indexes: `select schemaname || ' ' || indexdef from pg_indexes where schemaname not in ('pg_catalog', 'information_schema')`,
    sequences: `
      select schemaname || '.' || sequencename || ' ' || data_type || ' start=' || start_value || ' inc=' || increment_by
             || ' min=' || min_value || ' max=' || max_value || ' cycle=' || cycle
        from pg_sequences`,
    views: `
      select n.nspname || '.' || c.relname || ' ' || pg_get_viewdef(c.oid)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${schemas} and c.relkind in ('v', 'm')`,
    triggers: `
      select pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
        from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
       where ${schemas} and not t.tgisinternal`,
    functions: `
      select pg_get_functiondef(p.oid) || ' owner=' || pg_get_userbyid(p.proowner) || ' acl=' || coalesce(p.proacl, acldefault('f', p.proowner))::text
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${schemas} and p.prokind in ('f', 'p')`,
    policies: `select schemaname || '.' || tablename || '.' || policyname || ' ' || cmd || ' ' || roles::text || ' using=' || coalesce(qual, '') || ' check=' || coalesce(with_check, '') from pg_policies`,
    types: `
      select n.nspname || '.' || t.typname || ' ' || t.typtype::text || ' '
             || coalesce((select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid), '')
             || coalesce(format_type(t.typbasetype, t.typtypmod), '')
        from pg_type t join pg_namespace n on n.oid = t.typnamespace
       where ${schemas} and t.typtype in ('e', 'd', 'r') `,
    extensions: `select extname || ' ' || extversion from pg_extension`,
    defaultPrivileges: `
      select coalesce(n.nspname, '*') || ' ' || pg_get_userbyid(d.defaclrole) || ' ' || d.defaclobjtype::text || ' ' || d.defaclacl::text
        from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`,
    database: `select datname || ' acl=' || coalesce(datacl, acldefault('d', datdba))::text from pg_database where datname = current_database()`,
    roles: `
      select rolname || ' super=' || rolsuper || ' inherit=' || rolinherit || ' createrole=' || rolcreaterole
             || ' createdb=' || rolcreatedb || ' login=' || rolcanlogin || ' replication=' || rolreplication
             || ' bypassrls=' || rolbypassrls
             || ' memberof=' || coalesce((select string_agg(g.rolname, ',' order by g.rolname) from pg_auth_members m
                                            join pg_roles g on g.oid = m.roleid where m.member = r.oid), '')
        from pg_roles r where rolname !~ '^pg_'`,
  };
  const snapshot: Record<string, string[]> = {};
  for (const [part, query] of Object.entries(queries)) {
    const rows = await sql.unsafe<{ line: string }[]>(`select line from (${query}) as q(line)`);
    snapshot[part] = rows.map((r) => r.line).sort();
  }
  return snapshot;
}
