import type { IngestEventType, NatsRole } from '../index';

export type EventAbout = {
  /** The NATS role that publishes it. */
  by: NatsRole;
  /** Roles that act on it, besides those that read every event (`EVERY_EVENT_READERS`). */
  handledBy?: readonly NatsRole[];
  meaning: string;
};

/**
 * Who publishes each event, who acts on it and what it means: the prose half of both catalogs
 * (docs/events.md and docs/asyncapi.yaml). Keyed by event type, so a new event does not compile
 * until it is described here.
 */
export const EVENT_ABOUT: Record<IngestEventType, EventAbout> = {
  IngestRequested: {
    by: 'web',
    handledBy: ['ingestor'],
    meaning: 'A person (or the CLI) asked for a ticker Symbology does not hold yet. Starts a task.',
  },
  CompanyResolved: {
    by: 'ingestor',
    meaning: 'The ticker is a known SEC registrant; lists the annual reports this task will ingest, newest first.',
  },
  FilingStarted: { by: 'ingestor', meaning: 'Work on one annual report began.' },
  FilingCompleted: { by: 'ingestor', meaning: "One annual report's facts and text sections are stored in Postgres." },
  FilingFailed: {
    by: 'ingestor',
    meaning: 'One annual report could not be ingested; the task goes on with the others.',
  },
  IngestCompleted: { by: 'ingestor', meaning: 'Terminal: every selected filing completed or failed.' },
  IngestFailed: {
    by: 'ingestor',
    meaning: 'Terminal: the task could not start on filings (unknown ticker, no annual reports, EDGAR unreachable).',
  },
};

/** The projector folds every event into the status tables; subscribers may read any of them. */
export const EVERY_EVENT_READERS = ['projector', 'subscriber'] as const satisfies readonly NatsRole[];

/** `status.<taskId>`: the projector announces, web fans out to browsers, subscribers may listen. */
export const STATUS_ROLES = { by: 'projector', readBy: ['web', 'subscriber'] } as const satisfies {
  by: NatsRole;
  readBy: readonly NatsRole[];
};

/** What each NATS user of nats.conf is for (a role with no event operation still authenticates). */
export const ROLE_PURPOSE: Record<NatsRole, string> = {
  web: 'apps/web: publishes requests, reads the status feed and replays a task for its browsers.',
  ingestor: 'apps/ingestor: consumes requests on its durable, publishes the progress of each task.',
  projector: 'apps/projector: folds every event into Postgres, announces each changed status.',
  operator: 'Operators: provisioning, replay, inspection of every stream and consumer (all subjects).',
  subscriber: 'Other services: read-only on the events and the status feed.',
};

/** Roles that receive one event type. */
export function readersOf(type: IngestEventType): NatsRole[] {
  return [...(EVENT_ABOUT[type].handledBy ?? []), ...EVERY_EVENT_READERS];
}
