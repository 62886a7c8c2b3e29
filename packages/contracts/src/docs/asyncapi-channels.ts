import type { ChannelObject } from '@asyncapi/parser/esm/spec-types/v3';
import { INGEST_EVENT_TYPES, INGEST_STREAM, subjects, type IngestEventType } from '../index';
import { EVENT_ABOUT } from './event-about';
import { EXAMPLE_TASK_ID } from './asyncapi-examples';

/** Channel ids: `filingCompleted` for FilingCompleted's subject, `taskStatus` for `status.{taskId}`. */
export const channelOf = (type: IngestEventType) => type[0]!.toLowerCase() + type.slice(1);
export const STATUS_CHANNEL = 'taskStatus';
const TASK_ID = '{taskId}';
const TASK_ID_PARAMETER = { taskId: { $ref: '#/components/parameters/taskId' } };

export function eventChannels(): Record<string, ChannelObject> {
  const channels: Record<string, ChannelObject> = {};
  for (const type of INGEST_EVENT_TYPES) {
    channels[channelOf(type)] = {
      address: subjects.event(TASK_ID, type),
      title: type,
      summary: EVENT_ABOUT[type].meaning,
      description: [
        `One ${type} of one task, stored on the JetStream stream \`${INGEST_STREAM}\`.`,
        `Every task's: subscribe to, or filter a consumer on, \`${subjects.ofType(type)}\`.`,
        `One task's whole history, in order: \`${subjects.task(TASK_ID)}\`.`,
      ].join(' '),
      parameters: TASK_ID_PARAMETER,
      messages: { [type]: { $ref: `#/components/messages/${type}` } },
    };
  }
  channels[STATUS_CHANNEL] = {
    address: subjects.status(TASK_ID),
    title: 'TaskStatus',
    summary: 'The projected status of one task, after each projector commit that changed it.',
    description: [
      'Core NATS, not JetStream: nothing is stored, and a subscriber that was away has missed the changes;',
      'read the current status from the web API (`ingest.status`) and keep the one with the highest `version`.',
      `Every task's: \`${subjects.allStatus}\`.`,
    ].join(' '),
    parameters: TASK_ID_PARAMETER,
    messages: { TaskStatus: { $ref: '#/components/messages/TaskStatus' } },
  };
  return channels;
}

/** `{taskId}` in every channel's address. */
export const TASK_ID_PARAMETER_OBJECT = {
  description: 'The task id, a UUIDv7 (ids sort by creation time). Subscribe with `*` in its place for every task.',
  examples: [EXAMPLE_TASK_ID],
};
