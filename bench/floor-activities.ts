import type { Sql } from '../db/pool.ts';

export function createFloorActivities(sql: Sql) {
  return {
    async insertBenchRow(label: string): Promise<number> {
      const [row] = await sql<{ id: number }[]>`insert into bench_rows (label) values (${label}) returning id`;
      return row!.id;
    },
  };
}
