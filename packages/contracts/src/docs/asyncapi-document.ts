import { readFileSync } from 'node:fs';
import type { AsyncAPIObject } from '@asyncapi/parser/esm/spec-types/v3';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import { INGEST_STREAM, INGEST_SUBJECTS, NATS_ROLES, natsPasswordVariable } from '../index';
import { TASK_ID_PARAMETER_OBJECT, eventChannels } from './asyncapi-channels';
import { CORRELATION_ID_OBJECT, headerSchemas, eventPayloadSchemas, messages } from './asyncapi-messages';
import { operations, securityRef } from './asyncapi-operations';
import { componentSchemas } from './asyncapi-schemas';
import { ROLE_PURPOSE } from './event-about';

const ROOT = new URL('../../../../', import.meta.url);
export const ASYNCAPI_PATH = new URL('docs/asyncapi.yaml', ROOT);

/** The development server's address, as nats.conf gives it: the default of the `host` variable. */
function natsListenAddress(): string {
  const listen = /^listen:\s*(\S+)/m.exec(readFileSync(new URL('nats.conf', ROOT), 'utf8'))?.[1];
  if (!listen) throw new Error('nats.conf has no top-level `listen:` line');
  return listen;
}

const contractsVersion = (): string =>
  (JSON.parse(readFileSync(new URL('packages/contracts/package.json', ROOT), 'utf8')) as { version: string }).version;

const DESCRIPTION = `Every step of an ingestion is an event on the JetStream stream \`${INGEST_STREAM}\`
(subjects \`${INGEST_SUBJECTS}\`, kept forever). Each event is published on \`ingest.{taskId}.<token>\`, one
channel per event type below; \`*\` in place of the task id subscribes to every task, and
\`ingest.{taskId}.>\` replays one task in order. The projected status of a task is announced on core NATS
(\`status.{taskId}\`, not stored).

Every event carries the same envelope (\`Envelope\`) with its own \`type\`, \`schemaVersion\` and
\`data\`. Parse every message; ignore fields you do not know (additions do not bump \`schemaVersion\`).

Generated from \`packages/contracts\` (zod schemas, subjects, roles) by \`pnpm docs:events\`:
edit those, not this file. The prose catalog is docs/events.md.`;

export function asyncApiDocument(): AsyncAPIObject {
  return {
    asyncapi: '3.0.0',
    info: { title: 'Symbology ingestion events', version: contractsVersion(), description: DESCRIPTION },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: '{host}',
        protocol: 'nats',
        title: 'Symbology NATS (JetStream)',
        description:
          'One user per role (nats.conf), each allowed only the subjects its operations below name. Production runs three servers as one JetStream cluster: connect to any of them.',
        variables: {
          host: {
            default: natsListenAddress(),
            description: "host:port of a NATS server (the default is nats.conf's, for development).",
          },
        },
        security: NATS_ROLES.map(securityRef),
      },
    },
    channels: eventChannels(),
    operations: operations(),
    components: {
      schemas: { ...componentSchemas(), ...eventPayloadSchemas(), ...headerSchemas() },
      messages: messages(),
      correlationIds: { correlationId: CORRELATION_ID_OBJECT },
      parameters: { taskId: TASK_ID_PARAMETER_OBJECT },
      securitySchemes: Object.fromEntries(
        NATS_ROLES.map((role) => [
          role,
          {
            type: 'userPassword' as const,
            description: `NATS user \`${role}\`, password from \`${natsPasswordVariable(role)}\`. ${ROLE_PURPOSE[role]}`,
          },
        ]),
      ),
    },
  };
}

/** docs/asyncapi.yaml, formatted as the repository's prettier config leaves it (so `format:check` agrees). */
export async function renderAsyncApi(): Promise<string> {
  const yaml = stringify(asyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
  const header = '# Generated from packages/contracts by `pnpm docs:events`: do not edit by hand.\n';
  const filepath = fileURLToPath(ASYNCAPI_PATH);
  return format(header + yaml, { ...(await resolveConfig(filepath)), filepath });
}
