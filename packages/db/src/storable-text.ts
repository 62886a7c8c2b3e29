/**
 * Text Postgres accepts, with nothing lost: a NUL (which `text` refuses, SQLSTATE 22021) becomes a
 * visible `\u0000`. For what is kept verbatim for a person to read, a dead letter's payload and reason.
 */
export const withVisibleNul = (text: string): string => text.replaceAll('\u0000', '\\u0000');
