import { DEFAULT_TEXT_LIMITS, type TextLimits } from '../html-to-text';
import type { WorkerBudget } from '../workers/worker-pool';

/** What one document's extraction may cost; EXTRACT_* in env.ts, documented in docs/configuration.md. */
export type ExtractionLimits = TextLimits & WorkerBudget;

export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = {
  ...DEFAULT_TEXT_LIMITS,
  timeoutMs: 30_000,
  maxMemoryMb: 512,
};
