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
    meaning:
      'Someone (a person in the browser, or the CLI) asked for a ticker. Starts a task: `initial` for a company not held yet, `refresh` to pick up annual reports filed since the company was last checked, `retry` for the parts earlier tasks could not store.',
  },
  CompanyResolved: {
    by: 'ingestor',
    meaning:
      "The ticker is a known SEC registrant; lists the annual reports this task will work on, newest first (those of the five newest with something left to store), and how many of the rest need nothing a fetch could give: `alreadyStored` (whole), `heldInPart` and `heldNothing` (the parts they lack are missing for good; events written before these two counted them in `alreadyStored`). `listGap` (optional) says why the list may hold fewer than five: EDGAR did not serve a page of the company's filing list, or not readably (not found, refused, broken, or still failing on the task's last attempt), so nothing filed before it was looked for, and the task cannot end `completed`.",
  },
  FilingStarted: { by: 'ingestor', meaning: 'Work on one annual report began.' },
  FilingCompleted: {
    by: 'ingestor',
    meaning:
      'Something of one annual report is stored. `outcome` `completed`: every part its form offers (XBRL facts and the text sections); `partial`: `missing` lists each part it does not hold, with a code, a message for a person and whether a retry may get it.',
  },
  FilingFailed: {
    by: 'ingestor',
    meaning:
      'Nothing of one annual report could be stored; the task goes on with the others. `retryable`: a later ingestion may get something; `missing` (optional) lists each part with its reason, as in FilingCompleted.',
  },
  IngestCompleted: {
    by: 'ingestor',
    meaning:
      'Terminal: every filing the task worked on has an outcome and something was stored (or nothing was left to do). `outcome` `completed` only when every filing is whole; `completed_with_errors` when some are partial or failed, or part of the filing list could not be read (`CompanyResolved.listGap`). A task whose deliveries were all interrupted ends here too when it stored something: each filing it had not finished first gets a FilingCompleted or FilingFailed from what is stored, the parts it never reached missing with code `task_interrupted` (retryable).',
  },
  IngestFailed: {
    by: 'ingestor',
    meaning:
      'Terminal: nothing usable was stored (unknown ticker, no annual reports, EDGAR unreachable, every filing failed, deliveries exhausted with nothing stored: `internal_error`). Filings not reached fold to `not_attempted`.',
  },
  IngestCancelRequested: {
    by: 'web',
    handledBy: ['ingestor'],
    meaning: 'Someone asked to cancel a running task. The ingestor stops after the filing in hand.',
  },
  IngestDelayed: {
    by: 'ingestor',
    meaning:
      "Not terminal: the task cannot go on now; `error` says why. `kind: retry` (and events without a kind): `attempt` of `attempts` has ended (EDGAR unavailable, rate limiting, timing out) and the task is tried again from where it stands at `retryAt`; when the last attempt fails too, IngestFailed follows. `kind: held`: `attempt` is paused, not ended, because Symbology's own database does not answer; it goes on as soon as the database answers, and `retryAt` is the latest the pause lasts before the attempt ends as a `retry` would.",
  },
  IngestCancelled: {
    by: 'ingestor',
    meaning:
      'Terminal: the task stopped on request; the counts say what was stored before it did. Filings not reached fold to `not_attempted`.',
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
