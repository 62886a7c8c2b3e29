import { startNatsCluster, type RunningNatsCluster } from '@symbology/dev-services';
import { ensureStreams } from '../provision/ensure-streams';

/**
 * A three-node JetStream cluster from nats-cluster.conf with every stream and bucket provisioned
 * at its replicas, as the operator does in production: what the cluster tests of the packages
 * below tooling/test-system start from (that package depends on this one). Tests only.
 */
export async function startProvisionedCluster(): Promise<RunningNatsCluster> {
  const cluster = await startNatsCluster();
  try {
    const operator = await cluster.connect('operator');
    try {
      await ensureStreams(operator, { replicas: cluster.replicas });
    } finally {
      await operator.close();
    }
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
