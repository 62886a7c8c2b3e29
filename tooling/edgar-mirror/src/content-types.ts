import { extname } from 'node:path';

/** What SEC sends for the file kinds in an EDGAR tree. */
const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.xml': 'application/xml',
  '.xsd': 'application/xml',
  '.txt': 'text/plain',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.png': 'image/png',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Images and archives are compressed already; gzipping them again only costs time. */
export function isCompressible(contentType: string): boolean {
  return /^(text\/|application\/(json|xml|javascript))/.test(contentType);
}
