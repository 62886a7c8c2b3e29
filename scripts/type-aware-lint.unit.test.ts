import { join } from 'node:path';
import { REPO_ROOT } from '@symbology/dev-services';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, filePath) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('type-aware lint: promises nobody handles fail the build', { timeout: 60_000 }, () => {
  it('given a floating promise and an async callback where a sync one is expected, then lint fails on each', async () => {
    const code = [
      'export async function work(): Promise<void> {}',
      'export function loop(): void {',
      '  work();',
      '  setInterval(async () => { await work(); }, 1000);',
      '}',
      '',
    ].join('\n');
    const ids = await ruleIds('packages/service/src/index.ts', code);
    expect(ids).toContain('@typescript-eslint/no-floating-promises');
    expect(ids).toContain('@typescript-eslint/no-misused-promises');
  });

  it('given the same promise marked as deliberately not awaited, then lint passes', async () => {
    const code = 'export async function work(): Promise<void> {}\nexport function loop(): void {\n  void work();\n}\n';
    expect(await ruleIds('packages/service/src/index.ts', code)).toEqual([]);
  });
});
