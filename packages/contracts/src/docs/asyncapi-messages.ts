import type { MessageObject } from '@asyncapi/parser/esm/spec-types/v3';
import {
  CURRENT_SCHEMA_VERSION,
  EnvelopeSchema,
  INGEST_EVENT_TYPES,
  INGEST_STREAM,
  IngestEventSchema,
  STATUS_REPLACE_HEADER,
  STATUS_VERSION_HEADER,
} from '../index';
import { channelOf } from './asyncapi-channels';
import { exampleEvents, exampleStatus } from './asyncapi-examples';
import { ENVELOPE, TASK_STATUS, dataOf, schemaRef, type JsonSchema } from './asyncapi-schemas';
import { EVENT_ABOUT, STATUS_ROLES, readersOf } from './event-about';

const EVENT_HEADERS = 'EventHeaders';
const STATUS_HEADERS = 'StatusHeaders';

/** One message per event type, then the status; each with an example a publisher would write. */
export function messages(): Record<string, MessageObject> {
  const examples = exampleEvents();
  const all: Record<string, MessageObject> = {};
  for (const type of INGEST_EVENT_TYPES) {
    const version = CURRENT_SCHEMA_VERSION[type];
    const example = examples.get(type);
    all[type] = {
      name: type,
      title: `${type} (schemaVersion ${version})`,
      summary: EVENT_ABOUT[type].meaning,
      description: [
        `Published by \`${EVENT_ABOUT[type].by}\`; read by ${readersOf(type)
          .map((role) => `\`${role}\``)
          .join(', ')}.`,
        `Publishers write schemaVersion ${version}. Events published before a version bump keep their`,
        'version on the stream: `parseEvent` from `@symbology/contracts` upcasts them to this shape.',
      ].join(' '),
      // Spelled out rather than shared as a message trait: the parser copies a message it applies
      // traits to, and the copy's payload loses its component name (Modelina then emits AnonymousSchema_N).
      headers: schemaRef(EVENT_HEADERS),
      correlationId: { $ref: '#/components/correlationIds/correlationId' },
      payload: schemaRef(type),
      ...(example && {
        examples: [
          {
            name: channelOf(type),
            headers: { 'Nats-Msg-Id': example.eventId, 'Nats-Expected-Stream': INGEST_STREAM },
            payload: example,
          },
        ],
      }),
    };
  }
  const status = exampleStatus();
  all.TaskStatus = {
    name: 'TaskStatus',
    title: 'TaskStatus',
    summary: `Published by \`${STATUS_ROLES.by}\` with every change of a task's status.`,
    description:
      '`version` is the stream sequence of the last event folded in: it only goes up, so drop a status older than one you hold.',
    headers: schemaRef(STATUS_HEADERS),
    payload: schemaRef(TASK_STATUS),
    examples: [
      {
        name: 'firstFilingCompleted',
        headers: { [STATUS_VERSION_HEADER]: String(status.version) },
        payload: status,
      },
    ],
  };
  return all;
}

/** Each event's payload: the envelope, referenced once, narrowed to this type and version, plus its data. */
export function eventPayloadSchemas(): Record<string, JsonSchema> {
  const composed = new Set([...Object.keys(EnvelopeSchema.shape), 'type', 'data']);
  return Object.fromEntries(
    IngestEventSchema.options.map((event) => {
      const type = event.shape.type.value;
      const unknown = Object.keys(event.shape).filter((key) => !composed.has(key));
      if (unknown.length) {
        throw new Error(`${type} has fields the AsyncAPI payload does not compose: ${unknown.join(', ')}`);
      }
      const schema = {
        description: `${type}: the envelope every event carries, with this event's \`type\`, \`schemaVersion\` and \`data\`.`,
        allOf: [
          schemaRef(ENVELOPE),
          {
            type: 'object',
            properties: {
              type: { type: 'string', const: type },
              schemaVersion: { type: 'integer', const: CURRENT_SCHEMA_VERSION[type] },
              data: schemaRef(dataOf(type)),
            },
            required: ['type', 'schemaVersion', 'data'],
          },
        ],
      };
      return [type, schema];
    }),
  );
}

/** How to follow one user request through its events. */
export const CORRELATION_ID_OBJECT = {
  description: 'Ties every event and log line of one user request together across services.',
  location: '$message.payload#/correlationId',
};

/** The NATS headers every publisher sets on an event, and the projector on a status. */
export const headerSchemas = (): Record<string, JsonSchema> => ({
  [STATUS_HEADERS]: {
    type: 'object',
    properties: {
      [STATUS_VERSION_HEADER]: {
        type: 'string',
        pattern: '^[1-9][0-9]*$',
        description:
          "The status's `version`, in decimal: a subscriber holding a newer version can drop the message unparsed, and one holding this version can too unless `Status-Replace` is set.",
      },
      [STATUS_REPLACE_HEADER]: {
        type: 'string',
        enum: ['1'],
        description:
          'Set when the status corrects what a plain fold of the stream holds at the same version (a task with an event the projection set aside, rows rewritten by `rebuild --task` or `dead-letters retry`): a subscriber that folds the stream itself takes it in place of its own status at that version.',
      },
    },
    required: [STATUS_VERSION_HEADER],
  },
  [EVENT_HEADERS]: {
    type: 'object',
    properties: {
      'Nats-Msg-Id': {
        type: 'string',
        format: 'uuid',
        description:
          "The eventId. JetStream keeps one copy per id within the stream's duplicate window; a publisher retrying reuses it.",
      },
      'Nats-Expected-Stream': {
        type: 'string',
        const: INGEST_STREAM,
        description: `Publishers ask the server to refuse the event unless it lands on \`${INGEST_STREAM}\`.`,
      },
    },
    required: ['Nats-Msg-Id'],
  },
});
