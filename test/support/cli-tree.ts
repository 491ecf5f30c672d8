/**
 * Prints the `capstan` command tree as JSON, read from the commander program
 * cli/main.ts builds: its `parseAsync` is replaced before main.ts runs, so no
 * command runs and nothing else starts. Run with `node --import tsx`.
 */
import { Command } from 'commander';

interface Node {
  name: string;
  subcommands: Node[];
}

const tree = (c: Command): Node => ({ name: c.name(), subcommands: c.commands.map(tree) });

Command.prototype.parseAsync = async function dump(this: Command) {
  process.stdout.write(JSON.stringify(tree(this)));
  process.exit(0);
};

await import('../../cli/main.ts');
