import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned: a new release adds checks, and CI must not start failing on its own. */
export const SCHEMATHESIS_VERSION = '4.32.5';
export const configFile = fileURLToPath(new URL('./schemathesis.toml', import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env, cwd });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** The `st` binary of a venv made once per version under ~/.cache/capstan (needs only PyPI). */
export async function ensureSchemathesis(log: (line: string) => void = console.error): Promise<string> {
  const cacheRoot = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const venv = join(cacheRoot, 'capstan', `schemathesis-venv-${SCHEMATHESIS_VERSION}`);
  const st = join(venv, 'bin', 'st');
  if (existsSync(st)) return st;
  // Built beside the final path and renamed, so an interrupted install is never mistaken for a good one.
  const partial = `${venv}.partial-${process.pid}`;
  await mkdir(join(cacheRoot, 'capstan'), { recursive: true });
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}`);
  try {
    if ((await run('python3', ['-m', 'venv', partial])) !== 0)
      throw new Error('python3 -m venv failed (is python3-venv installed?)');
    const pip = join(partial, 'bin', 'pip');
    if (
      (await run(pip, [
        'install',
        '--quiet',
        '--disable-pip-version-check',
        `schemathesis==${SCHEMATHESIS_VERSION}`,
      ])) !== 0
    )
      throw new Error('pip install schemathesis failed');
    await rename(partial, venv).catch(async (err) => {
      if (!existsSync(st)) throw err; // another process finished first: use its venv
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return st;
}

export interface SchemathesisRun {
  label: string;
  exitCode: number;
  operations: number;
  cases: number;
  /** Unique failures and errors schemathesis found. */
  failures: number;
  errors: number;
  failureTitles: string[];
  /** Operations that answered nothing but 401/403. */
  unauthorised: string[];
  seconds: number;
}

export interface RunOptions {
  st: string;
  label: string;
  baseUrl: string;
  token: string;
  reportDir: string;
  /** Extra `st run` arguments (e.g. `--max-examples 5`). */
  extraArgs: string[];
  /** Visible to the config file as ${NAME}. */
  env: Record<string, string>;
}

/** One `st run` with every check and every phase; the summary comes from its JSON report. */
export async function runSchemathesis(options: RunOptions): Promise<SchemathesisRun> {
  const report = resolve(options.reportDir, `${options.label}.json`);
  await rm(report, { force: true });
  const args = [
    '--config-file',
    configFile,
    'run',
    `${options.baseUrl}/openapi.json`,
    '--checks',
    'all',
    '--header',
    `Authorization: Bearer ${options.token}`,
    '--report',
    'json',
    '--report-json-path',
    report,
    ...options.extraArgs,
  ];
  const hooks = { SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: dirname(configFile) };
  // Run in the report folder: schemathesis keeps its cache (.schemathesis/) in its working directory.
  const exitCode = await run(options.st, args, { ...process.env, ...hooks, ...options.env }, options.reportDir);
  return { label: options.label, exitCode, ...(await summarise(report)) };
}

interface JsonReport {
  operations: { tested: number };
  test_cases: { generated: number; unique_failures: number; errored: number };
  failures: { title: string; count: number; operations: string[] }[];
  errors: unknown[];
  warnings: { missing_auth?: string[] };
  running_time: number;
}

async function summarise(report: string): Promise<Omit<SchemathesisRun, 'label' | 'exitCode'>> {
  if (!existsSync(report))
    return {
      operations: 0,
      cases: 0,
      failures: 0,
      errors: 1,
      failureTitles: ['no report written'],
      unauthorised: [],
      seconds: 0,
    };
  const data = JSON.parse(await readFile(report, 'utf8')) as JsonReport;
  return {
    operations: data.operations.tested,
    cases: data.test_cases.generated,
    failures: data.test_cases.unique_failures,
    errors: data.errors.length + data.test_cases.errored,
    failureTitles: data.failures.map((f) => `${f.title} (${f.count}): ${f.operations.join(', ')}`),
    unauthorised: data.warnings.missing_auth ?? [],
    seconds: Math.round(data.running_time),
  };
}
