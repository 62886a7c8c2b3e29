export {
  startClusterTestSystem,
  startTestSystem,
  type ClusterTestSystem,
  type TestSystem,
  type TestSystemOptions,
} from './test-system';
