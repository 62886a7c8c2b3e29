import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_PREFIX, handleAdmin } from './admin-api';
import { createFaultSet, type FaultRule, type FaultRuleInput } from './fault-rules';
import { createRequestLog, type MirrorRequest } from './request-log';
import { isCompanyTickersPath, mergeCompanyTickers } from './merge-tickers';
import { resolveFiles } from './resolve-file';
import { sendJson } from './send';
import { serveBody } from './serve-file';
import { FIXTURES_DIR } from './test-data';

export type EdgarMirrorOptions = {
  /**
   * Directories laid out by URL path (<root>/data.sec.gov/...); the first that has a file wins.
   * Default: the repo's invented fixtures alone.
   */
  roots?: readonly string[];
  port?: number;
  host?: string;
  /** Appends one JSON line per request. */
  logFile?: string;
};

export type EdgarMirror = {
  /** http://127.0.0.1:PORT */
  url: string;
  /** What to configure as EDGAR_WWW_URL / EDGAR_DATA_URL. */
  wwwUrl: string;
  dataUrl: string;
  requests(): MirrorRequest[];
  clearRequests(): void;
  inject(rule: FaultRuleInput): number;
  clearFaults(): void;
  close(): Promise<void>;
};

/**
 * A stand-in for www.sec.gov and data.sec.gov serving recorded responses, so the ingestor runs
 * offline and tests can make EDGAR slow, rate-limiting, failing or truncating on demand. One
 * server serves both hosts: the host is the first segment of the path.
 */
export async function startEdgarMirror({
  roots = [FIXTURES_DIR],
  port = 0,
  host = '127.0.0.1',
  logFile,
}: EdgarMirrorOptions): Promise<EdgarMirror> {
  const faults = createFaultSet();
  const log = createRequestLog(logFile);
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'mirror_error', message: String(error) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://mirror').pathname;
    if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(req, res, path, { faults, log });
    const time = Date.now();
    const started = performance.now();
    const fault = faults.take(path);
    // 'finish' fires once the last byte is handed to the socket, before the client can read it, so a
    // test that reads the log right after its response sees the entry; 'close' covers aborted requests.
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      log.record({
        time,
        method: req.method ?? 'GET',
        path,
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
        ...(fault ? { fault: faultKind(fault) } : {}),
      });
    };
    res.once('finish', record);
    res.once('close', record);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(
        res,
        405,
        { error: 'method_not_allowed', message: 'the mirror serves GET and HEAD only' },
        { Allow: 'GET, HEAD' },
      );
    }
    if (fault?.status !== undefined) {
      const headers: Record<string, string> = {
        ...(fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) }),
        ...fault.headers,
      };
      return sendJson(res, fault.status, { error: 'injected_fault', message: `fault injected for ${path}` }, headers);
    }
    const [first, ...others] = await resolveFiles(roots, path);
    if (!first) return sendJson(res, 404, { error: 'not_found', message: `No recorded EDGAR response for ${path}` });
    const full =
      others.length > 0 && isCompanyTickersPath(path)
        ? await mergeCompanyTickers([first, ...others])
        : await readFile(first);
    return serveBody(req, res, { full, fileName: first, truncate: fault?.truncate === true });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    url,
    wwwUrl: `${url}/www.sec.gov`,
    dataUrl: `${url}/data.sec.gov`,
    requests: () => log.entries(),
    clearRequests: () => log.clear(),
    inject: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function faultKind(rule: FaultRule): NonNullable<MirrorRequest['fault']> {
  if (rule.status !== undefined) return 'status';
  return rule.truncate ? 'truncate' : 'delay';
}
