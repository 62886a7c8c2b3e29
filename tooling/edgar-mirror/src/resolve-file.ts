import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

/** The first segment names the host being mirrored: www.sec.gov, data.sec.gov. */
const HOST_SEGMENT = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/**
 * Maps a URL path (/data.sec.gov/submissions/CIK0000320193.json) to the files under each root that
 * has it, in root order. Returns none for anything that would leave a root: "..", encoded or not,
 * backslashes and NUL bytes are refused before the file system is asked.
 */
export async function resolveFiles(roots: readonly string[], urlPath: string): Promise<string[]> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return [];
  }
  const segments = decoded.split('/').filter(Boolean);
  if (
    segments.length < 2 ||
    !HOST_SEGMENT.test(segments[0] ?? '') ||
    segments.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0'))
  ) {
    return [];
  }
  const found: string[] = [];
  for (const root of roots) {
    const base = resolve(root);
    const candidate = resolve(base, ...segments);
    if (!candidate.startsWith(base + sep)) continue;
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) found.push(candidate);
  }
  return found;
}
