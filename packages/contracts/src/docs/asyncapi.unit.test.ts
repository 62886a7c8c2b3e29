import { readFileSync } from 'node:fs';
import {
  DiagnosticSeverity,
  Parser,
  type AsyncAPIDocumentInterface,
  type Diagnostic,
  type OperationInterface,
} from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { INGEST_EVENT_TYPES, NATS_ROLES, type NatsRole } from '../index';
import { ASYNCAPI_PATH, renderAsyncApi } from './asyncapi-document';
import { EVENT_ABOUT } from './event-about';

const committed = readFileSync(ASYNCAPI_PATH, 'utf8');
let document: AsyncAPIDocumentInterface;
let diagnostics: Diagnostic[];

beforeAll(async () => {
  const parsed = await new Parser().parse(committed);
  diagnostics = parsed.diagnostics;
  if (!parsed.document) throw new Error(`docs/asyncapi.yaml does not parse: ${JSON.stringify(diagnostics, null, 2)}`);
  document = parsed.document;
}, 60_000);

/** The role whose security scheme an operation requires (the parser inlines the scheme it refers to). */
function roleOf(op: OperationInterface): NatsRole {
  const required = op.security().flatMap((requirements) => requirements.all().map((r) => r.scheme().json()));
  const schemes = document.components().securitySchemes().all();
  const roles = schemes.filter((scheme) => required.includes(scheme.json())).map((scheme) => scheme.id());
  expect(roles, `operation ${op.id()} requires one role`).toHaveLength(1);
  return roles[0] as NatsRole;
}

type Action = 'send' | 'receive';
const roleOperations = (): [NatsRole, Action, string][] =>
  document
    .operations()
    .all()
    .flatMap((op) =>
      op
        .messages()
        .all()
        .map((m): [NatsRole, Action, string] => [roleOf(op), op.action() as Action, m.id()]),
    );

const messagesOf = (role: NatsRole, action: Action) =>
  roleOperations()
    .filter(([r, a]) => r === role && a === action)
    .map(([, , message]) => message);

describe('docs/asyncapi.yaml', () => {
  it(
    'is what the generator writes from the contracts (run `pnpm docs:events` after a contract change)',
    { timeout: 30_000 },
    async () => {
      expect(committed).toBe(await renderAsyncApi());
    },
  );

  it('parses with @asyncapi/parser without an error or a warning', () => {
    const problems = diagnostics.filter(
      (d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning,
    );
    expect(problems.map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document.version()).toBe('3.0.0');
  });

  it('has one channel per event subject, with the task id as a parameter, and the status channel', () => {
    const addresses = document
      .channels()
      .all()
      .map((c) => c.address());
    expect(addresses).toContain('ingest.{taskId}.filing_completed');
    expect(addresses).toContain('status.{taskId}');
    expect(addresses).toHaveLength(INGEST_EVENT_TYPES.length + 1);
    for (const channel of document.channels().all()) {
      expect(
        channel
          .parameters()
          .all()
          .map((p) => p.id()),
      ).toEqual(['taskId']);
      expect(channel.messages().all()).toHaveLength(1);
    }
    const filingCompleted = document
      .channels()
      .all()
      .find((c) => c.address() === 'ingest.{taskId}.filing_completed');
    expect(filingCompleted?.messages().all()[0]?.id()).toBe('FilingCompleted');
    expect(filingCompleted?.description()).toContain('`ingest.*.filing_completed`');
  });

  it('gives every role its part: web requests, the ingestor works, the projector folds and announces', () => {
    expect(messagesOf('web', 'send')).toContain('IngestRequested');
    expect(messagesOf('ingestor', 'receive')).toEqual(['IngestRequested', 'IngestCancelRequested']);
    expect(messagesOf('projector', 'receive')).toEqual([...INGEST_EVENT_TYPES]);
    expect(messagesOf('projector', 'send')).toEqual(['TaskStatus']);
    expect(messagesOf('subscriber', 'receive')).toEqual([...INGEST_EVENT_TYPES, 'TaskStatus']);
    expect(messagesOf('web', 'receive')).toEqual(['TaskStatus']);
    expect(messagesOf('subscriber', 'send')).toEqual([]);
    for (const type of INGEST_EVENT_TYPES) {
      const senders = roleOperations().filter(([, action, message]) => action === 'send' && message === type);
      expect(senders.map(([role]) => role)).toEqual([EVENT_ABOUT[type].by]);
    }
  });

  it('offers each NATS role as a userPassword security scheme of the server', () => {
    const server = document.servers().all()[0]!;
    expect(server.protocol()).toBe('nats');
    const schemes = document.components().securitySchemes().all();
    expect(schemes.map((s) => [s.id(), s.type()])).toEqual(NATS_ROLES.map((role) => [role, 'userPassword']));
    const offered = server.security().flatMap((requirements) => requirements.all().map((r) => r.scheme().json()));
    expect(offered).toEqual(schemes.map((s) => s.json()));
  });

  it('documents the envelope once, Nats-Msg-Id and the schemaVersion of each event', () => {
    for (const type of INGEST_EVENT_TYPES) {
      const message = document
        .messages()
        .all()
        .find((m) => m.id() === type)!;
      const payload = message.payload()!.json() as { allOf: { properties?: Record<string, { const?: unknown }> }[] };
      expect(payload.allOf[0]).toBe(document.components().schemas().get('Envelope')!.json());
      expect(payload.allOf[1]!.properties!.schemaVersion!.const).toBeTypeOf('number');
      expect(message.headers()!.required()).toEqual(['Nats-Msg-Id']);
    }
  });
});

describe('the JSON Schemas generated from the zod schemas', () => {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const validatorOf = (messageId: string, part: 'payload' | 'headers') => {
    const message = document
      .messages()
      .all()
      .find((m) => m.id() === messageId)!;
    return ajv.compile(message[part]()!.json());
  };

  it('accept the example of every message, one per event type', () => {
    for (const message of document.messages().all()) {
      const examples = message.examples().all();
      expect(examples, `${message.id()} has no example`).toHaveLength(1);
      for (const example of examples) {
        const payload = validatorOf(message.id(), 'payload');
        expect(payload(example.payload()), JSON.stringify(payload.errors)).toBe(true);
        if (message.hasHeaders()) expect(validatorOf(message.id(), 'headers')(example.headers())).toBe(true);
      }
    }
  });

  it('refuse a wrong field type and an event of another type', () => {
    const example = document
      .messages()
      .all()
      .find((m) => m.id() === 'FilingCompleted')!
      .examples()
      .all()[0]!;
    const event = example.payload() as { data: Record<string, unknown> };
    const filingCompleted = validatorOf('FilingCompleted', 'payload');
    expect(filingCompleted({ ...event, data: { ...event.data, factsStored: 'twelve' } })).toBe(false);
    expect(validatorOf('FilingStarted', 'payload')(event)).toBe(false);
    expect(filingCompleted({ ...event, schemaVersion: 99 })).toBe(false);
  });
});

describe('nats.conf', () => {
  const conf = readFileSync(new URL('../../../../nats.conf', import.meta.url), 'utf8');
  /** The publish and subscribe allow lists of one user, as quoted in nats.conf. */
  const permissions = (role: NatsRole) => {
    const block = conf.split(/\n\s*user: /).find((b) => b.startsWith(`${role}\n`)) ?? '';
    const [publish = '', subscribe = ''] = block.split(/\bsubscribe:/);
    return { publish, subscribe };
  };
  const natsSubject = (address: string) => address.replace('{taskId}', '*');

  it('lets each role publish what the catalog says it sends, and read what it receives', () => {
    for (const op of document.operations().all()) {
      const role = roleOf(op);
      const address = op.channels().all()[0]!.address()!;
      const { publish, subscribe } = permissions(role);
      if (op.action() === 'send')
        expect(publish, `${role} publishes ${address}`).toContain(`"${natsSubject(address)}"`);
      else if (address.startsWith('status.'))
        expect(subscribe, `${role} subscribes ${address}`).toContain('"status.>"');
      // Pulls name the consumer: a role's own durable, or (`*`) the filtered ephemeral ones it creates.
      else
        expect(publish, `${role} pulls from INGEST`).toMatch(/"\$JS\.API\.CONSUMER\.MSG\.NEXT\.INGEST\.(\*|[\w-]+)"/);
    }
  });
});
