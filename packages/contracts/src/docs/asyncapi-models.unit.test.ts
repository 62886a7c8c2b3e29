import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypeScriptGenerator } from '@asyncapi/modelina';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { INGEST_EVENT_TYPES } from '../index';
import { ASYNCAPI_PATH } from './asyncapi-document';
import { exampleEvents, exampleStatus } from './asyncapi-examples';

/** What a service team would run (docs/events.md shows it): plain interfaces named after the events. */
const generator = new TypeScriptGenerator({
  modelType: 'interface',
  enumType: 'union',
  rawPropertyNames: true,
  processorOptions: { interpreter: { ignoreAdditionalProperties: true } },
});

/** Strict TypeScript's verdict on one source file: `line: message` per error. */
function typeErrors(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'asyncapi-models-'));
  try {
    const file = join(dir, 'models.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('models generated from docs/asyncapi.yaml by Modelina', () => {
  it('name every event, its data and the status, and type real events', { timeout: 60_000 }, async () => {
    const models = await generator.generate(readFileSync(ASYNCAPI_PATH, 'utf8'));
    const byName = new Map(models.map((m) => [m.modelName, m.result]));
    for (const type of INGEST_EVENT_TYPES) {
      expect(byName.get(type), `no model ${type}`).toContain(`'type': '${type}';`);
      expect(byName.get(type)).toContain("'eventId': string;");
      expect(byName.get(type)).toContain(`'data': ${type}Data;`);
      expect(byName.has(`${type}Data`), `no model ${type}Data`).toBe(true);
    }
    expect(byName.get('TaskStatus')).toContain("'version': number;");

    // The models accept the events publishers write (one per line), and refuse the last, mistyped one.
    const events = [...exampleEvents().values()];
    const wrong = { ...events[0]!, type: 'NotAnEvent' };
    const source = [
      ...byName.values(),
      ...events.map((e, i) => `const e${i}: ${e.type} = ${JSON.stringify(e)};`),
      `const s: TaskStatus = ${JSON.stringify(exampleStatus())};`,
      `const w: ${events[0]!.type} = ${JSON.stringify(wrong)};`,
    ].join('\n');
    const errors = typeErrors(source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${source.split('\n').length}: .*NotAnEvent`));
  });
});
