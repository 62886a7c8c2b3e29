export { startTestSystem, type ServiceOptions, type TestSystem } from './test-system';
