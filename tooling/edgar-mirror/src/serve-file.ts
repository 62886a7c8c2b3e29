import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { contentTypeFor, isCompressible } from './content-types';

const gzipAsync = promisify(gzip);

/**
 * Sends a recorded response with the headers SEC sends. A truncated answer carries a matching
 * Content-Length and no gzip, so the client sees a complete, well-framed response whose body is
 * cut in half: what a broken proxy or a partial cache entry delivers.
 */
export async function serveBody(
  req: IncomingMessage,
  res: ServerResponse,
  { full, fileName, truncate }: { full: Buffer; fileName: string; truncate: boolean },
): Promise<void> {
  const contentType = contentTypeFor(fileName);
  const headers: Record<string, string | number> = {
    'Content-Type': contentType,
    'Cache-Control': 'max-age=0, no-cache, no-store',
    Vary: 'Accept-Encoding',
  };
  let body = truncate ? full.subarray(0, Math.floor(full.length / 2)) : full;
  const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (!truncate && acceptsGzip && isCompressible(contentType)) {
    body = await gzipAsync(full);
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
