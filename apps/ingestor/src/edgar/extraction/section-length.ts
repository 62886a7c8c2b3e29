/**
 * Fewer characters than this after an item's heading is not that item's text: a truncated
 * document ends its sections after 18 or 96 characters, and an omitted item reads "Not
 * applicable." or "[Reserved]". The shortest real section in the fixtures holds about 400.
 */
export const MIN_SECTION_BODY_CHARS = 250;

const QUOTED_CHARS = 80;

/** Why a section's body is too short to be the item, or undefined when it is long enough. */
export function tooShortReason(label: string, body: string): string | undefined {
  if (body.length >= MIN_SECTION_BODY_CHARS) return undefined;
  const shown = body.length <= QUOTED_CHARS ? body : `${body.slice(0, QUOTED_CHARS)}\u2026`;
  const holds = body.length === 0 ? 'nothing but its heading' : `only ${body.length} characters ("${shown}")`;
  return `${label} holds ${holds}, too little to be that item: the document may be truncated or the item omitted, so it was not stored`;
}
