import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { deadLettersCommand } from './commands/dead-letters.ts';
import { schedulesCommand } from './commands/schedules.ts';
import { WORKER_QUEUE_NAMES } from '../workers/queue-names.ts';

/**
 * A command's module loads only when it runs: importing them all (the API, the
 * workers, the Temporal SDK) cost seconds under tsx before any command started.
 * The subcommand trees above register eagerly; they import nothing heavy.
 */
function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  return async (...args: unknown[]): Promise<void> => {
    const action = (await load())[name] as (...a: unknown[]) => unknown;
    await action(...args);
  };
}

/** The package's version, from the checkout (cli/) or from the build (dist/cli/). */
function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    const file = new URL(up, import.meta.url);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

const program = new Command()
  .name('capstan')
  .description('Operate Capstan: the local stack, migrations, workers and the API')
  .version(packageVersion())
  .showHelpAfterError();

program
  .command('up')
  .description('Run the whole local stack: PostgreSQL, Temporal + Web UI, migrations, workers, API')
  .action(lazy(() => import('./commands/up.ts'), 'upCommand'));
program
  .command('cluster')
  .description('Run Capstan on the real Temporal server on PostgreSQL: API and one worker per queue as processes')
  .action(lazy(() => import('./commands/cluster.ts'), 'clusterCommand'));
const migrate = program
  .command('migrate')
  .description('Apply pending database migrations (DATABASE_URL); migrate down rolls them back')
  .action(lazy(() => import('./commands/migrate.ts'), 'migrateCommand'));
migrate
  .command('down')
  .description('Roll back the newest migration, or every one after --to')
  .option('--to <number>', 'the last migration to keep applied, e.g. 18 (0 rolls back all)')
  .option('--force', 'roll back even while workers (capstan worker, capstan up) are connected to the database')
  .action(lazy(() => import('./commands/migrate.ts'), 'migrateDownCommand'));
program
  .command('worker')
  .description('Run the workers (DATABASE_URL, TEMPORAL_ADDRESS)')
  .option(
    '--queue <name...>',
    `task queues to poll: ${WORKER_QUEUE_NAMES.join(', ')} (repeatable or comma-separated; default every queue configured)`,
  )
  .action(lazy(() => import('./commands/worker.ts'), 'workerCommand'));
program
  .command('api')
  .description('Serve the HTTP API (DATABASE_URL, TEMPORAL_ADDRESS)')
  .action(lazy(() => import('./commands/api.ts'), 'apiCommand'));
program
  .command('deploy')
  .description('Deploy an application on Clever Cloud: deploy <app> | deploy status|cancel|history <app>')
  .argument('<app-or-action>', 'the application id, or status | cancel | history')
  .argument('[app]', 'the application id, after an action')
  .option('--owner <id>', 'organisation id (default CLEVER_OWNER_ID, else self)')
  .option('--commit <sha>', "commit to deploy (default: the application's current one)")
  .option('--env <NAME=value...>', 'set environment variables before deploying (restored on rollback)')
  .option('--unset <NAME...>', 'remove environment variables before deploying')
  .option('--deadline <duration>', 'give up and cancel after this long, e.g. 20m (default 30m)')
  .option('--no-rollback', 'do not roll back to the last good commit on failure')
  .option('--follow', 'show live progress until the deploy ends')
  .action(lazy(() => import('./commands/deploy.ts'), 'deployCommand'));
program
  .command('assets')
  .description('Front-end builds: assets build | list | show <id> | rollback [build] | gc (through the API)')
  .argument('<action>', 'build | list | show | rollback | gc')
  .argument('[build]', 'a build id (show; rollback: default the previous build)')
  .action(lazy(() => import('./commands/assets.ts'), 'assetsCommand'));
program
  .command('license')
  .description('The enterprise licence: license show | install <key> | heartbeat (through the API)')
  .argument('<action>', 'show | install | heartbeat')
  .argument('[key]', 'the licence key, for install')
  .action(lazy(() => import('./commands/license.ts'), 'licenseCommand'));
program
  .command('platform-tokens')
  .description(
    'Platform tokens: platform-tokens list | create --app --name | rotate <id> | revoke <id> (through the API)',
  )
  .argument('<action>', 'list | create | rotate | revoke')
  .argument('[id]', 'the token id, for rotate and revoke')
  .option('--app <name>', 'the platform app the new token belongs to (create)')
  .option('--name <name>', 'a name for the new token (create)')
  .option('--expires <instant>', 'when the new token stops working, ISO 8601 (create)')
  .option('--scopes <list>', 'comma-separated scopes, e.g. platform:deploys (create; default: all of yours)')
  .option('--grace <seconds>', 'how long the old token keeps working after a rotation (default 0)')
  .action(lazy(() => import('./commands/platform-tokens.ts'), 'platformTokensCommand'));
registerAdminCommands(program);

deadLettersCommand(program);
schedulesCommand(program);
program
  .command('breakers')
  .description('Circuit breakers shared by all workers: breakers list | reset <name> --reason <text> (through the API)')
  .argument('<action>', 'list | reset')
  .argument('[name]', 'the breaker, for reset (clever-cloud, licensing, webhook:<host>:<port>)')
  .option('--reason <text>', 'why the breaker is closed by hand (reset; audited)')
  .action(lazy(() => import('./commands/breakers.ts'), 'breakersCommand'));
program
  .command('sandbox')
  .description('The local stand-ins of external services')
  .command('licence')
  .description('The local licensing server')
  .command('issue')
  .description('Issue a licence key signed by the local licensing sandbox')
  .requiredOption('--plan <plan>', 'community | startups | business | enterprise')
  .requiredOption('--seats <n>', 'seats the licence allows')
  .requiredOption('--expires <days>', 'validity, e.g. 30d')
  .option('--aud <installation>', 'installation id (default: this installation)')
  .option('--hb <seconds>', 'heartbeat interval the licence asks for')
  .option('--grace <seconds>', 'grace period')
  .action(lazy(() => import('./commands/sandbox.ts'), 'sandboxLicenceIssue'));
program
  .command('seed')
  .description('Demo data through the API and its workflows; running it again creates nothing (seed demo)')
  .argument('<what>', 'demo')
  .option('--webhook-url <url>', 'where the demo webhooks deliver (default: a loopback port nobody answers)')
  .action(lazy(() => import('./commands/seed.ts'), 'seedCommand'));
program
  .command('temporal-build')
  .description('Find or build the Temporal dev server binary and print its path')
  .action(lazy(() => import('./commands/temporal-build.ts'), 'temporalBuildCommand'));

/**
 * Every failure ends as one line an operator can act on (the messages say what
 * to do); DEBUG=1 shows the whole error for a developer chasing a bug. Errors
 * a library throws outside our promises (a child process that cannot spawn)
 * are caught here too.
 */
function fail(err: unknown): never {
  // By name: the configuration module (and its schema library) is not loaded unless a command needed it.
  if (err instanceof Error && err.name === 'ConfigError') {
    console.error(err.message);
    process.exit(2);
  }
  const debug = process.env.DEBUG !== undefined && process.env.DEBUG !== '0' && process.env.DEBUG !== 'false'; // as env.ts reads it
  const message = err instanceof Error ? err.message : String(err);
  console.error(debug ? err : `capstan: ${message.split('\n')[0]}  (DEBUG=1 for details)`);
  process.exit(1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
try {
  await program.parseAsync();
  process.exit(process.exitCode ?? 0); // stopped servers may leave idle handles behind
} catch (err) {
  fail(err);
}
