import type { OperationObject } from '@asyncapi/parser/esm/spec-types/v3';
import {
  INGEST_EVENT_TYPES,
  INGEST_STREAM,
  INGESTOR_CONSUMER,
  TASK_STATUS_PROJECTION,
  subjects,
  type IngestEventType,
  type NatsRole,
} from '../index';
import { EVENT_ABOUT, STATUS_ROLES, readersOf } from './event-about';
import { STATUS_CHANNEL, channelOf } from './asyncapi-channels';

/** The durable consumer each service role pulls from; other readers bring their own consumer. */
const DURABLE_OF: Partial<Record<NatsRole, string>> = {
  ingestor: INGESTOR_CONSUMER,
  projector: TASK_STATUS_PROJECTION,
};

export const securityRef = (role: NatsRole) => ({ $ref: `#/components/securitySchemes/${role}` });

function operation(
  role: NatsRole,
  action: 'send' | 'receive',
  channel: string,
  message: string,
  description: string,
): [string, OperationObject] {
  const id = `${role}${action === 'send' ? 'Send' : 'Receive'}${message}`;
  return [
    id,
    {
      action,
      channel: { $ref: `#/channels/${channel}` },
      messages: [{ $ref: `#/channels/${channel}/messages/${message}` }],
      title: `${role} ${action}s ${message}`,
      description,
      security: [securityRef(role)],
      tags: [{ name: role }],
    },
  ];
}

function howEventIsRead(role: NatsRole, type: IngestEventType): string {
  const durable = DURABLE_OF[role];
  if (durable) {
    return `Pulled from the durable consumer \`${durable}\` on \`${INGEST_STREAM}\` and acknowledged once its effect is committed.`;
  }
  return [
    `An ordered consumer on \`${INGEST_STREAM}\` filtered on \`${subjects.ofType(type)}\` replays from where you choose;`,
    'ask an operator for a durable one to share work between replicas.',
  ].join(' ');
}

/** Every role's part: who publishes each event and the status, and who reads them. */
export function operations(): Record<string, OperationObject> {
  const all: [string, OperationObject][] = [];
  for (const type of INGEST_EVENT_TYPES) {
    const channel = channelOf(type);
    all.push(
      operation(
        EVENT_ABOUT[type].by,
        'send',
        channel,
        type,
        'Published to JetStream (the PubAck is awaited) with `Nats-Msg-Id` = eventId, reused on retry.',
      ),
      ...readersOf(type).map((role) => operation(role, 'receive', channel, type, howEventIsRead(role, type))),
    );
  }
  all.push(
    operation(STATUS_ROLES.by, 'send', STATUS_CHANNEL, 'TaskStatus', 'Core NATS publish after each commit.'),
    ...STATUS_ROLES.readBy.map((role) =>
      operation(
        role,
        'receive',
        STATUS_CHANNEL,
        'TaskStatus',
        `Core NATS subscription to \`${subjects.allStatus}\` (every task) or one task's \`${subjects.status('{taskId}')}\`.`,
      ),
    ),
  );
  return Object.fromEntries(all);
}
