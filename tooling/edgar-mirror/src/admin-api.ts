import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { FaultRuleSchema, type FaultSet } from './fault-rules';
import type { RequestLog } from './request-log';
import { sendJson } from './send';

export const ADMIN_PREFIX = '/_mirror/';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The mirror's own endpoints, so a test in another process (an e2e run, a shell) can inject faults
 * and read the request log: POST/DELETE/GET /_mirror/faults, GET/DELETE /_mirror/requests.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  { faults, log }: { faults: FaultSet; log: RequestLog },
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_mirror/faults':
      return sendJson(res, 200, {
        faults: faults.list().map((f) => ({ ...f, rule: { ...f.rule, pattern: String(f.rule.pattern) } })),
      });
    case 'POST /_mirror/faults': {
      const body = await readJson(req);
      if (!body.ok) return sendJson(res, 400, { error: 'bad_request', message: body.message });
      const rule = FaultRuleSchema.safeParse(body.json);
      if (!rule.success) return sendJson(res, 400, { error: 'bad_request', message: z.prettifyError(rule.error) });
      return sendJson(res, 201, { id: faults.add(rule.data) });
    }
    case 'DELETE /_mirror/faults':
      faults.clear();
      return sendJson(res, 200, { cleared: true });
    case 'GET /_mirror/requests':
      return sendJson(res, 200, { requests: log.entries() });
    case 'DELETE /_mirror/requests':
      log.clear();
      return sendJson(res, 200, { cleared: true });
    default:
      return sendJson(res, 404, { error: 'not_found', message: `no mirror admin route ${route}` });
  }
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; json: unknown } | { ok: false; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return { ok: false, message: `body over ${MAX_BODY_BYTES} bytes` };
    chunks.push(buffer);
  }
  try {
    return { ok: true, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch (error) {
    return { ok: false, message: `body is not JSON: ${(error as Error).message}` };
  }
}
