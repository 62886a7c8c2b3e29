import { z } from 'zod';
import { EnvelopeSchema } from '../events/envelope';
import { CURRENT_SCHEMA_VERSION, IngestEventSchema } from '../events/ingest-events';
import { STATUS_REPLACE_HEADER, STATUS_VERSION_HEADER, SUBJECT_TOKEN, subjects } from '../subjects';
import { TaskStatusSchema } from '../status/task-status';
import { EVENT_ABOUT } from './event-about';

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
    // A nullable object is `anyOf: [object, null]`: say the null, as typeOf does for scalars.
    const nullable = child.anyOf?.some((a) => a.type === 'null') ? ' \\| null' : '';
    const type = objectLike ? `${child.type === 'array' ? 'object[]' : 'object'}${nullable}` : typeOf(child);
    out.push(`| \`${path}\` | ${type} | ${required} |`);
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
    const about = EVENT_ABOUT[type];
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
    `The \`${STATUS_VERSION_HEADER}\` header carries the same \`version\`: a subscriber that already holds it (its own fold of`,
    `the stream, say) can drop the message without parsing the body, unless \`${STATUS_REPLACE_HEADER}: 1\` says the status`,
    'corrects what a plain fold holds at that version (an event the projection set aside, `rebuild --task`): take it instead.',
    'Terminal states: `completed`, `completed_with_errors`, `failed`, `cancelled`; nothing after a terminal event changes a task.',
    '',
    table(TaskStatusSchema),
  ].join('\n');
}
