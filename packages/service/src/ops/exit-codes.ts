/**
 * EX_CONFIG (sysexits.h): a service refuses to run until an operator acts (the projector on a
 * stream or checkpoint that does not fit, docs/operations.md). Starting it again changes nothing,
 * so a supervisor (the launcher) leaves it down and says so.
 */
export const EXIT_NEEDS_OPERATOR = 78;
