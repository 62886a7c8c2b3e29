export { startEdgarMirror, type EdgarMirror, type EdgarMirrorOptions } from './edgar-mirror';
export type { FaultRuleInput } from './fault-rules';
export { maxInAnyWindow, type MirrorRequest } from './request-log';
export { FIXTURES_DIR } from './test-data';
