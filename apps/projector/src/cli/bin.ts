import { loadEnv } from '../env';
import { runCli } from './run-cli';

process.exitCode = await runCli(process.argv.slice(2), { env: loadEnv(), out: process.stdout, err: process.stderr });
