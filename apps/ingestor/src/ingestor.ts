import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  EDGAR_LIMITER_BUCKET,
  INGEST_ADVISORIES_STREAM,
  INGEST_LEASE_BUCKET,
  INGEST_STREAM,
  INGESTOR_CONSUMER,
  type IngestEvent,
} from '@symbology/contracts';
import { createDb } from '@symbology/db';
import {
  connectAs,
  isConsumerNotFound,
  natsCheck,
  newInstanceId,
  postgresCheck,
  publishEvent,
  startOpsServer,
  stateCheck,
  untilAvailable,
} from '@symbology/service';
import type { IngestorConfig } from './config';
import { startConsumeLoop } from './consumer/consume-loop';
import { createIsolationGate } from './consumer/isolation-gate';
import { createRequestHandler, type HandlerDeps } from './consumer/handle-request';
import { watchMaxDeliveries, type MaxDeliveriesWatch } from './consumer/max-deliveries';
import { provisionIngestorConsumer } from './consumer/provision-consumer';
import { DEFAULT_OUTAGE_HOLD_MS } from './consumer/outage-hold';
import { DEFAULT_STALL_MS } from './consumer/stall-watch';
import { createEdgarClient, EDGAR_MAX_DELAY_MS } from './edgar/edgar-client';
import { DEFAULT_EXTRACTION_LIMITS } from './edgar/extraction/extraction-limits';
import { createExtractionPool } from './edgar/workers/extraction-pool';
import { createFactsPool, DEFAULT_COMPANY_FACTS_LIMITS } from './edgar/workers/facts-pool';
import { createTickerDirectory } from './edgar/ticker-directory';
import { startTickerRefresh } from './edgar/ticker-refresh';
import { readCancelRequested } from './ingest/cancel-watch';
import { readTaskEvents } from './ingest/task-history';
import { createLogger, type Logger } from './logger';
import { createMetrics } from './ops/metrics';
import { createKvLimiter } from './rate-limit/kv-limiter';
import { createTickerMapSync } from './storage/ticker-map-sync';

export type Ingestor = {
  /** The ops server: /healthz, /readyz, /metrics. */
  httpUrl: string;
  /** Drains: stops pulling, finishes in-flight tasks, closes NATS, Postgres and the ops server. */
  stop(): Promise<void>;
};

/** Test seams: a fault placed at one exact step. Production passes none. */
export type IngestorSeams = Pick<HandlerDeps, 'acknowledge'>;

/** The longest one ingestor statement (or idle transaction) may take: its writes are batches of 1,000 rows. */
const STATEMENT_TIMEOUT_MS = 60_000;

export class IngestorStartError extends Error {
  override readonly name = 'IngestorStartError';
}

/** Boots one ingestor replica; run several against the same NATS and they share the work and the limit. */
export async function startIngestor(
  config: IngestorConfig,
  logger: Logger = createLogger(config.logLevel),
  seams: IngestorSeams = {},
): Promise<Ingestor> {
  const metrics = createMetrics();
  const db = createDb(config.databaseUrl, {
    max: config.concurrency + 2,
    applicationName: 'symbology-ingestor',
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
  });
  const nc = await connectAs(config.nats, config.nats.name ?? 'ingestor');
  // Sections are cut in worker threads: a hostile document must not block this event loop.
  const extractor = createExtractionPool({
    limits: config.extraction ?? DEFAULT_EXTRACTION_LIMITS,
    threads: config.concurrency,
    onWorkerError: (error) => logger.error({ err: error }, 'extraction worker failed'),
  });
  // companyfacts too (megabytes of JSON to parse, validate and index), with a budget of its own.
  const factsReader = createFactsPool({
    limits: config.companyFacts ?? DEFAULT_COMPANY_FACTS_LIMITS,
    threads: config.concurrency,
    onWorkerError: (error) => logger.error({ err: error }, 'companyfacts worker failed'),
  });
  // Pulls from its own durable: stopped before the connection closes, on a failed start too.
  let maxDeliveries: MaxDeliveriesWatch | undefined;
  try {
    const js = jetstream(nc);
    // No JetStream round trip on connect (`checkAPI`): it fails while a cluster elects its meta
    // leader; the checks below say more, and are tried again while JetStream cannot answer.
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    const { kv, leases } = await untilAvailable(
      () => provisioned(nc, jsm, config),
      (error, attempt, delayMs) =>
        logger.warn({ err: error, attempt, delayMs }, 'cannot start yet: NATS JetStream does not answer'),
    );
    const instanceId = config.instanceId ?? newInstanceId();
    const limiter = createKvLimiter({
      kv,
      maxPerSecond: config.maxRps,
      marginMs: config.limiterMarginMs,
      onWait: (ms) => metrics.observeLimiterWait(ms),
      ...(config.clockOffsetMs ? { now: () => Date.now() + (config.clockOffsetMs ?? 0) } : {}),
      onSlowSlots: (returned, writeMs) =>
        logger.warn(
          { returned, writeMs: Math.round(writeMs), marginMs: config.limiterMarginMs },
          'EDGAR limiter slots taken too late to use (given back); raise the margin or check NATS latency',
        ),
      onClampedPause: (pausedUntil, keptUntil) =>
        logger.warn(
          { pausedUntil, keptUntil, maxPauseMs: EDGAR_MAX_DELAY_MS },
          'EDGAR limiter value asks for a pause no replica writes; honoured only up to the Retry-After cap',
        ),
    });
    const edgar = createEdgarClient({
      wwwUrl: config.edgar.wwwUrl,
      dataUrl: config.edgar.dataUrl,
      userAgent: config.edgar.userAgent,
      limiter,
      maxAttempts: config.edgar.maxAttempts,
      timeoutMs: config.edgar.timeoutMs,
      ...(config.edgar.maxDocumentBytes === undefined ? {} : { maxDocumentBytes: config.edgar.maxDocumentBytes }),
      ...(config.edgar.maxJsonBytes === undefined ? {} : { maxJsonBytes: config.edgar.maxJsonBytes }),
      ...(config.edgar.maxListBytes === undefined ? {} : { maxListBytes: config.edgar.maxListBytes }),
      baseDelayMs: config.edgar.retryBaseMs,
      logger: logger.child({ component: 'edgar' }),
      onRequest: (o) => metrics.observeRequest(o),
    });
    // Every download of the map is also written to edgar_tickers: the web app's autocomplete reads it there.
    const tickerMap = createTickerMapSync({ db, logger: logger.child({ component: 'ticker-map' }) });
    const tickers = createTickerDirectory(edgar, { now: Date.now, onLoad: (entries) => tickerMap.push(entries) });
    const publish = async (event: IngestEvent) => {
      const ack = await publishEvent(js, event);
      metrics.eventsPublished.inc({ type: event.type, duplicate: String(ack.duplicate) });
      return ack;
    };
    const history = (taskId: string) => readTaskEvents(js, jsm, taskId);
    const now = config.now ?? (() => new Date());
    // Aborted on stop: tasks hand their request back after the filing in hand, or at once when held.
    const drain = new AbortController();
    const gate = createIsolationGate();
    const handle = createRequestHandler({
      task: {
        edgar,
        extractor,
        factsReader,
        tickers,
        db,
        publish,
        history,
        cancelRequested: (taskId) => readCancelRequested(jsm, taskId),
        now,
        logger,
        draining: () => drain.signal.aborted,
        ...(config.taskBudgetMs !== undefined && { taskBudgetMs: config.taskBudgetMs }),
      },
      db,
      logger,
      metrics,
      ackWaitMs: config.ackWaitMs,
      maxDeliver: config.maxDeliver,
      retry: { baseDelayMs: config.retryBaseMs, maxDelayMs: 10 * 60_000 },
      stallMs: config.stallMs ?? DEFAULT_STALL_MS,
      outageHoldMs: config.outageHoldMs ?? DEFAULT_OUTAGE_HOLD_MS,
      drain: drain.signal,
      gate,
      leases,
      holder: instanceId,
      ...seams,
    });
    maxDeliveries = await watchMaxDeliveries({
      js,
      jsm,
      task: { db, history, publish, now },
      leases,
      holder: `${instanceId}/max-deliveries`,
      logger: logger.child({ component: 'max-deliveries' }),
      retryBaseMs: config.retryBaseMs,
    }).catch((error: unknown) => {
      throw new IngestorStartError(
        `The ${INGEST_ADVISORIES_STREAM} stream is missing or not readable; provision it first (ensureStreams, as the operator user)`,
        { cause: error },
      );
    });
    const consumer = await js.consumers.get(INGEST_STREAM, INGESTOR_CONSUMER);
    const loop = startConsumeLoop({
      consumer,
      concurrency: config.concurrency,
      handle,
      beforePull: gate.beforePull,
      logger,
      // Someone deleted the durable (an operator, or a crash mid-provisioning): put it back, with
      // the same settings, and the pulls find it again under its name.
      recover: async () => {
        const missing = await jsm.consumers.info(INGEST_STREAM, INGESTOR_CONSUMER).then(
          () => false,
          (error: unknown) => (isConsumerNotFound(error) ? true : Promise.reject(error)),
        );
        if (!missing) return;
        logger.warn({ consumer: INGESTOR_CONSUMER }, 'durable consumer is gone: re-creating it');
        await provisionIngestorConsumer(jsm, config);
      },
    });
    const ops = await startOpsServer({
      port: config.httpPort,
      host: config.host,
      instanceId,
      metrics: metrics.registry,
      // Ready to take work: NATS answers, Postgres answers, and the workers pull (false while draining).
      checks: [natsCheck(nc), postgresCheck(db.$client), stateCheck('consumer', () => loop.running)],
    });
    // Not awaited: the ingestor is ready without the map, and a task that needs it first shares this download.
    const tickerRefresh = startTickerRefresh({ directory: tickers, logger: logger.child({ component: 'ticker-map' }) });
    logger.info(
      { concurrency: config.concurrency, maxRps: config.maxRps, http: ops.url, edgar: config.edgar.dataUrl },
      'ingestor started',
    );

    let stopping: Promise<void> | undefined;
    return {
      httpUrl: ops.url,
      stop: () =>
        (stopping ??= (async () => {
          logger.info('ingestor draining');
          drain.abort();
          // Each loop waits for its open pull to end (up to its expiry): together, not one after the other.
          await Promise.all([loop.stop(), maxDeliveries?.stop()]);
          tickerRefresh.stop();
          await tickerMap.close();
          await ops.close();
          await nc.drain().catch(() => {});
          await Promise.all([extractor.close(), factsReader.close()]);
          // Every task has ended or handed its request back by now: what may be left in the pool
          // (an outage hold's last `select 1`, a readiness check) is not worth waiting for, and
          // with Postgres down it held the stop for the driver's whole timeout.
          await db.$client.end({ timeout: 0 });
          logger.info('ingestor stopped');
        })()),
    };
  } catch (error) {
    await maxDeliveries?.stop();
    await Promise.all([extractor.close(), factsReader.close()]);
    await nc.close().catch(() => {});
    await db.$client.end({ timeout: 1 });
    throw error;
  }
}

/**
 * What the ingestor needs provisioned before it pulls: its KV buckets, INGEST and its durable. A
 * missing one is an IngestorStartError at once; one JetStream cannot answer for yet (a node lost, an
 * election, no quorum) is waited for by the caller (untilAvailable): a replica restarted in the
 * middle of a cluster fault then starts once it passes, instead of exiting on a bare timeout.
 */
async function provisioned(nc: NatsConnection, jsm: JetStreamManager, config: IngestorConfig) {
  const kv = await openBucket(nc, EDGAR_LIMITER_BUCKET, 'holds the shared EDGAR rate limit');
  const leases = await openBucket(nc, INGEST_LEASE_BUCKET, 'fences the holder of each task');
  await jsm.streams.info(INGEST_STREAM).catch((error: unknown) => {
    throw new IngestorStartError(
      `The ${INGEST_STREAM} stream is missing or not readable; provision it first (ensureStreams, as the operator user)`,
      { cause: error },
    );
  });
  await provisionIngestorConsumer(jsm, config);
  return { kv, leases };
}

async function openBucket(nc: NatsConnection, bucket: string, what: string): Promise<KV> {
  try {
    return await new Kvm(nc).open(bucket);
  } catch (error) {
    throw new IngestorStartError(
      `The KV bucket "${bucket}" that ${what} is missing or not readable; provision the streams first (ensureStreams, as the operator user)`,
      { cause: error },
    );
  }
}
