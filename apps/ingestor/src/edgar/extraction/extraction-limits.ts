import { DEFAULT_TEXT_LIMITS, type TextLimits } from '../html-to-text';

/** What one document's extraction may cost; EXTRACT_* in env.ts, documented in docs/configuration.md. */
export type ExtractionLimits = TextLimits & {
  /** Wall time of one extraction, from the moment its worker starts it; past it the worker is terminated. */
  timeoutMs: number;
  /** The worker thread's V8 old-generation heap; past it the worker dies, not the ingestor. */
  maxMemoryMb: number;
};

export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = {
  ...DEFAULT_TEXT_LIMITS,
  timeoutMs: 30_000,
  maxMemoryMb: 512,
};
