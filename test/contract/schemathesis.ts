import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startsCleanly } from '../../cli/local/tool-check.ts';

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

/** How schemathesis is started: the venv's interpreter, so no script's `#!` line (written at install) matters. */
export interface SchemathesisCommand {
  command: string;
  args: string[];
}

const commandIn = (venv: string): SchemathesisCommand => ({
  command: join(venv, 'bin', 'python'),
  args: ['-m', 'schemathesis.cli'],
});

const starts = ({ command, args }: SchemathesisCommand): boolean => startsCleanly(command, [...args, '--version']);

/**
 * A venv with schemathesis, made once per version under ~/.cache/capstan (needs only PyPI). Built beside its final
 * path and renamed, so an interrupted install is never found there; trusted only once it answers `--version`, and
 * made again when it does not (a venv from older code, whose console scripts name the folder it was built in).
 */
export async function ensureSchemathesis(log: (line: string) => void = console.error): Promise<SchemathesisCommand> {
  const cacheRoot = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const venv = join(cacheRoot, 'capstan', `schemathesis-venv-${SCHEMATHESIS_VERSION}`);
  if (existsSync(venv)) {
    if (starts(commandIn(venv))) return commandIn(venv);
    log(`the schemathesis venv at ${venv} does not start: making it again`);
    await rm(venv, { recursive: true, force: true });
  }
  const partial = `${venv}.partial-${process.pid}`;
  await mkdir(join(cacheRoot, 'capstan'), { recursive: true });
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}`);
  try {
    if ((await run('python3', ['-m', 'venv', partial])) !== 0)
      throw new Error('python3 -m venv failed (is python3-venv installed?)');
    const python = join(partial, 'bin', 'python');
    const pip = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check'];
    const installed = await run(python, [...pip, `schemathesis==${SCHEMATHESIS_VERSION}`]);
    if (installed !== 0) throw new Error('pip install schemathesis failed');
    await rename(partial, venv).catch(async (err) => {
      if (!starts(commandIn(venv))) throw err; // another process finished first: use its venv
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  if (!starts(commandIn(venv))) throw new Error(`schemathesis in ${venv} does not start after installing it`);
  return commandIn(venv);
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
  schemathesis: SchemathesisCommand;
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
  const { command, args: prefix } = options.schemathesis;
  const exitCode = await run(
    command,
    [...prefix, ...args],
    { ...process.env, ...hooks, ...options.env },
    options.reportDir,
  );
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
