import { Command } from 'commander';
import { ConfigError } from '../config/env.ts';
import { apiCommand } from './commands/api.ts';
import { migrateCommand } from './commands/migrate.ts';
import { temporalBuildCommand } from './commands/temporal-build.ts';
import { upCommand } from './commands/up.ts';
import { workerCommand } from './commands/worker.ts';

const program = new Command()
  .name('capstan')
  .description('Operate Capstan: the local stack, migrations, workers and the API')
  .showHelpAfterError();

program.command('up').description('Run the whole local stack: PostgreSQL, Temporal + Web UI, migrations, workers, API').action(upCommand);
program.command('migrate').description('Apply pending database migrations (DATABASE_URL)').action(migrateCommand);
program.command('worker').description('Run the workers (DATABASE_URL, TEMPORAL_ADDRESS)').action(workerCommand);
program.command('api').description('Serve the HTTP API (DATABASE_URL, TEMPORAL_ADDRESS)').action(apiCommand);
program.command('temporal-build').description('Find or build the Temporal dev server binary and print its path').action(temporalBuildCommand);

try {
  await program.parseAsync();
  process.exit(process.exitCode ?? 0); // stopped servers may leave idle handles behind
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
}
