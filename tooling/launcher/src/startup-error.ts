/**
 * A start-up step that failed, said the way a person starting Symbology needs it: what the launcher
 * was connecting to or doing, what went wrong, and (`hint`) what they can do about it.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  readonly hint: string | undefined;
  constructor(message: string, hint: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.hint = hint;
  }
}

/** What a step was doing and what the person can do when it fails. */
export type StepDescription = { doing: string; hint?: string };

/** Runs one start-up step; its failure becomes a StartupError naming the step (its cause kept). */
export async function step<T>(description: StepDescription, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StartupError || isAbort(error)) throw error;
    throw new StartupError(`${description.doing}: ${messageOf(error)}`, description.hint, { cause: error });
  }
}

/** The URL as it may be printed: no password (a user name stays, it says which role connected). */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's happy-eyeballs connect fails with an AggregateError whose own message is empty.
  if (error instanceof AggregateError && !error.message) return error.errors.map(messageOf).join('; ');
  if (error.message) return error.message;
  return 'code' in error ? String(error.code) : error.name;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
