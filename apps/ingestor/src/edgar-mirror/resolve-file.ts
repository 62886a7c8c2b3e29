import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

/**
 * Maps a URL path (/data.sec.gov/submissions/CIK0000320193.json) to a file under the first root
 * that has it. Returns undefined for anything that would leave a root: "..", encoded or not,
 * backslashes and NUL bytes are refused before the file system is asked.
 */
export async function resolveFile(roots: readonly string[], urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const segments = decoded.split('/').filter(Boolean);
  if (segments.length === 0 || segments.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0'))) {
    return undefined;
  }
  for (const root of roots) {
    const base = resolve(root);
    const candidate = resolve(base, ...segments);
    if (!candidate.startsWith(base + sep)) continue;
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}
