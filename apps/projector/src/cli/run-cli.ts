import { deadLettersCommand } from './commands/dead-letters-command';
import { lagCommand } from './commands/lag-command';
import { rebuildCommand } from './commands/rebuild-command';
import { verifyCommand } from './commands/verify-command';
import { line, type CliIo } from './context';

const HELP = `symbology-projector <command>

  rebuild [--task <taskId> | --from-seq <n>]   replay the stream into shadow tables and swap them in
  verify                                       compare the tables with the fold of the stream
  lag [--json]                                 stream head, checkpoint, lag, dead letters
  dead-letters list [--all] [--limit n] [--json]
  dead-letters retry <id>                      re-parse a dead letter and re-fold its task

Configuration from the environment: NATS_URL, NATS_USER, NATS_PASSWORD, DATABASE_URL, LOG_LEVEL.`;

/** Runs one command; resolves to the process exit code (0 ok, 1 failure or differences, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // `pnpm --filter @symbology/projector cli -- <command>` hands the `--` on to the script.
  const [command, ...args] = argv[0] === '--' ? argv.slice(1) : argv;
  try {
    switch (command) {
      case 'rebuild':
        return await rebuildCommand(args, io);
      case 'verify':
        return await verifyCommand(args, io);
      case 'lag':
        return await lagCommand(args, io);
      case 'dead-letters':
        return await deadLettersCommand(args, io);
      case undefined:
      case 'help':
      case '--help':
        line(io.out, HELP);
        return command === undefined ? 2 : 0;
      default:
        line(io.out, `unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    // node:util parseArgs refuses an unknown option, a missing value or a stray argument: a usage error.
    if (isParseArgsError(error)) {
      io.err.write(`symbology-projector ${command}: ${error.message}\n\n${HELP}\n`);
      return 2;
    }
    io.err.write(`symbology-projector ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}
