import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by this process and each of its descendants, grouped by what they are. */
export function cpuByProcess(): Record<string, number> {
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return [
          {
            pid: Number(pid),
            ppid: Number(fields[1]),
            cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
            cmd,
          },
        ];
      } catch {
        return []; // gone meanwhile
      }
    });
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) grew = mine.add(p.pid) !== undefined;
  }
  const totals: Record<string, number> = {};
  for (const p of procs.filter((p) => mine.has(p.pid))) {
    const kind =
      p.pid === process.pid
        ? 'bench process (workers, load)'
        : p.cmd.includes('capstan.js api')
          ? 'API process'
          : p.cmd.includes('capstan.js worker')
            ? 'worker processes'
            : p.cmd.includes('start-dev') || p.cmd.includes('temporal-server')
              ? 'Temporal server'
              : p.cmd.includes('postgres')
                ? 'PostgreSQL'
                : 'other';
    totals[kind] = (totals[kind] ?? 0) + p.cpu;
  }
  return totals;
}

/** CPU seconds each kind of process spent while `run` ran. */
export async function cpuDuring<T>(run: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number> }> {
  const before = cpuByProcess();
  const result = await run();
  const after = cpuByProcess();
  const cpu = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
  return { result, cpu };
}
