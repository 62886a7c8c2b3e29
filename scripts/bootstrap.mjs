#!/usr/bin/env node
// The two README commands start here, on a machine that may have nothing but Node 20:
//   npm test   -> install what is missing, run every test, print "N passed, N failed[, N skipped]"
//   npm start  -> install what is missing, compile the launcher, then hand over to it
//                 (tooling/launcher/dist/main.js, which builds the services and runs them compiled)
// Plain Node with no dependencies, because nothing is installed yet when it runs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const [command = 'test', ...rest] = process.argv.slice(2);

function log(message) {
  console.error(`[setup] ${message}`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    log(`failed: ${cmd} ${args.join(' ')} (exit ${status})`);
    process.exit(status);
  }
}

function has(cmd, args = ['--version']) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

function ensurePnpm() {
  if (has('pnpm') === pnpmVersion) return;
  log(`installing pnpm ${pnpmVersion}`);
  must('npm', ['install', '--global', `pnpm@${pnpmVersion}`, '--no-fund', '--no-audit']);
}

function ensureDependencies() {
  log('installing dependencies (pnpm install --frozen-lockfile)');
  must('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only']);
}

function ensureNatsServer() {
  must('bash', ['scripts/ensure-nats-server.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Browser tests drive Debian's Chromium; install it where we may (root with apt). */
function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0 || !has('apt-get', ['--version'])) {
    log('chromium is not installed and cannot be installed here: browser tests will be skipped');
    return;
  }
  log('installing chromium (apt-get install chromium) for the browser tests');
  if (
    run('apt-get', ['install', '-y', '-qq', 'chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }) !== 0
  ) {
    must('apt-get', ['update', '-qq']);
    must('apt-get', ['install', '-y', '-qq', 'chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}

/** typecheck, lint and format: main stays green on them too, so CI runs them before the tests. */
function runChecks() {
  const failed = [];
  for (const check of ['typecheck', 'lint', 'format:check']) {
    log(`pnpm ${check}`);
    if (run('pnpm', ['--silent', check]) !== 0) failed.push(check);
  }
  return failed;
}

function runTests() {
  const failedChecks = rest.length === 0 ? runChecks() : [];
  mkdirSync(join(root, 'test-artifacts'), { recursive: true });
  const report = join(root, 'test-artifacts', 'vitest.json');
  const status = run('pnpm', [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...rest,
  ]);
  let totals = 'no test report was written';
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // A file that fails before its tests run (an import or collection error) has no failed test
    // to count; count it as one, so the totals never say "0 failed" for a red run.
    const brokenFiles = (r.testResults ?? []).filter(
      (f) => f.status === 'failed' && f.assertionResults.length === 0,
    ).length;
    totals = `${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed${skipped ? `, ${skipped} skipped` : ''}`;
    if (r.numTotalTests === 0) {
      console.log('0 passed, 0 failed');
      process.exit(1);
    }
  }
  if (failedChecks.length > 0) log(`failed: ${failedChecks.join(', ')}`);
  console.log(totals);
  process.exit(failedChecks.length > 0 && status === 0 ? 1 : status);
}

/**
 * Runs the launcher and passes on every stop signal: SIGTERM or SIGHUP sent to `npm start` must
 * reach the launcher (it stops the services in order), and we exit when and as it does.
 */
function runLauncher() {
  const launcher = spawn(process.execPath, ['tooling/launcher/dist/main.js', ...rest], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => launcher.kill(signal));
  }
  launcher.once('error', (error) => {
    log(`could not run the launcher: ${error.message}`);
    process.exit(1);
  });
  launcher.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
  // npm runs us with `exec`, so its SIGTERM reaches us; should npm be killed outright instead,
  // we are reparented: stop the launcher rather than leave it running with nobody to stop it.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && launcher.kill('SIGTERM'), 1_000).unref();
}

ensurePnpm();
ensureDependencies();
ensureNatsServer();
if (command === 'test') {
  ensureChromium();
  runTests();
} else if (command === 'start') {
  // The build runs TypeScript through tsx (a dev dependency); the launcher and services run compiled.
  must(process.execPath, ['--import', 'tsx', 'tooling/launcher/src/build/main.ts', 'launcher', '--quiet']);
  runLauncher();
} else {
  log(`unknown command ${command}: use "test" or "start"`);
  process.exit(2);
}
