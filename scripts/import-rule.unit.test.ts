import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '@symbology/dev-services';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the ESLint config is plain JavaScript without declarations
import { APPS } from '../eslint.config.js';

const APP_NAMES = (APPS as string[]).map((app) => `@symbology/${app}`);
const RULE = 'no-restricted-imports';

async function violations(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('the import rule: no package or tool imports an app', { timeout: 60_000 }, () => {
  it('given a package importing an app, by name or by path, then lint fails', async () => {
    for (const app of APP_NAMES) {
      expect(await violations('packages/api/src/root.ts', `import { x } from '${app}';\nexport { x };\n`)).toHaveLength(
        1,
      );
    }
    const byPath = `import { x } from '../../../apps/web/src/server/index';\nexport { x };\n`;
    expect(await violations('packages/client/src/client.ts', byPath)).toHaveLength(1);
    expect(await violations('tooling/dev-services/src/index.ts', `export * from '@symbology/web';\n`)).toHaveLength(1);
  });

  it('given a package importing a package, then lint passes', async () => {
    expect(await violations('packages/api/src/root.ts', `export * from '@symbology/db';\n`)).toEqual([]);
  });

  it('given every package.json under packages/ and tooling/, then none declares a dependency on an app', async () => {
    const offenders: string[] = [];
    for (const dir of ['packages', 'tooling']) {
      for (const name of await readdir(join(REPO_ROOT, dir))) {
        const file = join(REPO_ROOT, dir, name, 'package.json');
        const json = await readFile(file, 'utf8').catch(() => undefined);
        if (!json) continue;
        const pkg = JSON.parse(json) as Record<string, Record<string, string> | undefined>;
        const declared = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap(
          (field) => Object.keys(pkg[field] ?? {}),
        );
        for (const dep of declared) if (APP_NAMES.includes(dep)) offenders.push(`${dir}/${name} -> ${dep}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
