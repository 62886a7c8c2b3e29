import { z } from 'zod';
import * as contracts from '../index';

export type JsonSchema = Record<string, unknown>;

/** Where the AsyncAPI document keeps its schemas, and how everything else points at one. */
export const schemaRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Component ids of the schemas generated straight from a zod schema. */
export const ENVELOPE = 'Envelope';
export const TASK_STATUS = 'TaskStatus';
export const dataOf = (type: contracts.IngestEventType) => `${type}Data`;

/** zod's date/time/uuid regexes restate their `format` at a length that buries the rest of a schema. */
const FORMATS_THAT_SAY_IT_ALL = new Set(['uuid', 'date', 'date-time']);

/**
 * Every object or enum schema `@symbology/contracts` exports (`ErrorInfoSchema`, `AnnualFormSchema`, ...),
 * so a shape used inside an event becomes a named component (and a named model in generated
 * code) without a list kept by hand. Event schemas are left out: the document composes those itself.
 */
function exportedSharedSchemas(): [string, z.ZodType][] {
  const events = new Set<unknown>(contracts.IngestEventSchema.options);
  return Object.entries(contracts as Record<string, unknown>)
    .filter(([name, value]) => name.endsWith('Schema') && !events.has(value))
    .filter((entry): entry is [string, z.ZodObject | z.ZodEnum] => {
      const value = entry[1];
      return value instanceof z.ZodObject || value instanceof z.ZodEnum;
    })
    .map(([name, schema]) => [name.slice(0, -'Schema'.length), schema]);
}

/**
 * The JSON Schemas of the AsyncAPI document's components, converted by zod itself (draft-07, the
 * dialect AsyncAPI schemas extend) from what publishers write (`io: 'output'`). Shared shapes become
 * `$ref`s to their own component; components nothing refers to are left out.
 */
export function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  const roots: [string, z.ZodType, string][] = [
    [
      ENVELOPE,
      contracts.EnvelopeSchema,
      'Fields every event carries; each event adds `type`, `schemaVersion` and `data`.',
    ],
    ...contracts.IngestEventSchema.options.map((event): [string, z.ZodType, string] => {
      const type = event.shape.type.value;
      return [dataOf(type), event.shape.data, `The \`data\` of ${type}.`];
    }),
    [TASK_STATUS, contracts.TaskStatusSchema, "What a person sees of one ingestion: the fold of that task's events."],
  ];
  for (const [id, schema] of roots) registry.add(schema, { id });
  for (const [id, schema] of exportedSharedSchemas()) {
    if (!registry.has(schema)) registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-07',
    io: 'output',
    uri: (id) => schemaRef(id).$ref,
    override: ({ jsonSchema }) => {
      // Consumers must ignore fields they do not know: adding one is a compatible change that does
      // not bump schemaVersion. (It also keeps `allOf: [Envelope, ...]` satisfiable.)
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
      if (jsonSchema.format && FORMATS_THAT_SAY_IT_ALL.has(jsonSchema.format)) delete jsonSchema.pattern;
    },
  });
  // Descriptions of the roots go beside zod's output, not into a metadata registry of our own: zod
  // reads `.describe()`/`.meta()` from its global registry, where the contracts would put theirs.
  const descriptions = new Map(roots.map(([id, , description]) => [id, description]));
  const all = Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [
      id,
      { ...(descriptions.has(id) && { description: descriptions.get(id) }), ...schema } as JsonSchema,
    ]),
  );
  return pickReachable(
    all,
    roots.map(([id]) => id),
  );
}

/**
 * The root components, in their order, then every component they reach through `$ref`, by name: a
 * module namespace lists its exports in an order that differs between loaders (tsx, vitest).
 */
function pickReachable(all: Record<string, JsonSchema>, rootIds: string[]): Record<string, JsonSchema> {
  const reached = new Set<string>();
  const visit = (id: string) => {
    if (reached.has(id)) return;
    reached.add(id);
    for (const [, target] of JSON.stringify(all[id]).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) visit(target!);
  };
  rootIds.forEach(visit);
  const shared = [...reached].filter((id) => !rootIds.includes(id)).sort();
  return Object.fromEntries([...rootIds, ...shared].map((id) => [id, all[id]!]));
}
