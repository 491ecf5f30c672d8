/** Request budgets shared by every API replica (rate-limiter-flexible's PostgreSQL layout). */
export async function up(sql) {
  await sql`
    create unlogged table rate_limits (
      key varchar(255) primary key,
      points integer not null default 0,
      expire bigint
    )`;
}

export async function down(sql) {
  await sql`drop table if exists rate_limits`;
}
