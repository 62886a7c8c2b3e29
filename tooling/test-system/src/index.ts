export { startTestSystem, type TestSystem, type TestSystemOptions } from './test-system';
