import { z } from 'zod';
import { EnvelopeSchema } from '../events/envelope';
import { CURRENT_SCHEMA_VERSION, IngestEventSchema, type IngestEventType } from '../events/ingest-events';
import { SUBJECT_TOKEN, subjects } from '../subjects';
import { TaskStatusSchema } from '../status/task-status';

/** Who publishes each event and what it means: the prose half of the catalog. */
const ABOUT: Record<IngestEventType, { by: string; meaning: string }> = {
  IngestRequested: {
    by: 'web',
    meaning:
      'Someone (a person in the browser, or the CLI) asked for a ticker. Starts a task: `initial` for a company not held yet, `refresh` to pick up annual reports filed since the company was last checked, `retry` for the parts earlier tasks could not store.',
  },
  CompanyResolved: {
    by: 'ingestor',
    meaning:
      'The ticker is a known SEC registrant; lists the annual reports this task will work on, newest first (those of the five newest with something left to store), and how many were already stored whole.',
  },
  FilingStarted: { by: 'ingestor', meaning: 'Work on one annual report began.' },
  FilingCompleted: {
    by: 'ingestor',
    meaning:
      'Something of one annual report is stored. `outcome` `completed`: every part its form offers (XBRL facts and the text sections); `partial`: `missing` lists each part it does not hold, with a code, a message for a person and whether a retry may get it.',
  },
  FilingFailed: {
    by: 'ingestor',
    meaning: 'Nothing of one annual report could be stored; the task goes on with the others.',
  },
  IngestCompleted: {
    by: 'ingestor',
    meaning:
      'Terminal: every filing the task worked on has an outcome and something was stored (or nothing was left to do). `outcome` `completed` only when every filing is whole; `completed_with_errors` when some are partial or failed.',
  },
  IngestFailed: {
    by: 'ingestor',
    meaning:
      'Terminal: nothing usable was stored (unknown ticker, no annual reports, EDGAR unreachable, every filing failed, deliveries exhausted). Filings not reached fold to `not_attempted`.',
  },
  IngestCancelRequested: {
    by: 'web',
    meaning: 'Someone asked to cancel a running task. The ingestor stops after the filing in hand.',
  },
  IngestCancelled: {
    by: 'ingestor',
    meaning:
      'Terminal: the task stopped on request; the counts say what was stored before it did. Filings not reached fold to `not_attempted`.',
  },
};

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  anyOf?: JsonSchema[];
  description?: string;
};

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array' && s.items) return `${typeOf(s.items)}[]`;
  const base = Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'unknown');
  return s.format ? `${base} (${s.format})` : base;
}

/** Flattens an object schema into rows `path | type | required`, recursing into objects and arrays of objects. */
function rows(schema: JsonSchema, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${key}`;
    const required = schema.required?.includes(key) ? 'yes' : 'no';
    const objectLike = child.properties
      ? child
      : child.items?.properties
        ? child.items
        : child.anyOf?.find((a) => a.properties);
    out.push(
      `| \`${path}\` | ${objectLike ? (child.type === 'array' ? 'object[]' : 'object') : typeOf(child)} | ${required} |`,
    );
    if (objectLike) out.push(...rows(objectLike, child.type === 'array' ? `${path}[].` : `${path}.`));
  }
  return out;
}

const table = (schema: z.ZodType) =>
  [
    '| field | type | required |',
    '| --- | --- | --- |',
    ...rows(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema),
  ].join('\n');

/** docs/events.md's generated part, from the zod schemas themselves. */
export function renderEventCatalog(): string {
  const sections = IngestEventSchema.options.map((schema) => {
    const type = schema.shape.type.value;
    const about = ABOUT[type];
    return [
      `### ${type}`,
      '',
      `${about.meaning}`,
      '',
      `- subject: \`ingest.<taskId>.${SUBJECT_TOKEN[type]}\` (all tasks: \`${subjects.ofType(type)}\`)`,
      `- published by: ${about.by}`,
      `- schemaVersion: ${CURRENT_SCHEMA_VERSION[type]}`,
      '',
      table(schema.shape.data),
    ].join('\n');
  });
  return [
    '## Envelope (every event)',
    '',
    table(EnvelopeSchema.extend({ type: z.string(), data: z.object({}) })),
    '',
    '## Events',
    '',
    sections.join('\n\n'),
    '',
    '## Status (`status.<taskId>`, core NATS)',
    '',
    'Published by the projector after each commit: the full projected status of a task, `version` being the stream',
    'sequence of the last event folded in. Not stored in JetStream: read the `tasks` table, or the web API, for the current one.',
    'Terminal states: `completed`, `completed_with_errors`, `failed`, `cancelled`; nothing after a terminal event changes a task.',
    '',
    table(TaskStatusSchema),
  ].join('\n');
}
