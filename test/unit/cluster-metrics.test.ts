// Cluster-state gauges are computed from the informer caches at scrape time, by the leader only.
import assert from 'node:assert/strict';
import type { Deployment, Node, Pod } from '../../common/api/types';
import { ControllerMetrics } from '../../controller/metrics';
import { bindClusterMetrics, deploymentReplicaCounts } from '../../controller/cluster-metrics';

const pod = (name: string, phase?: string): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [] }, status: phase ? { phase } : undefined }) as Pod;
const node = (name: string, ready?: 'True' | 'False' | 'Unknown'): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: {},
  status: ready ? { conditions: [{ type: 'Ready', status: ready }] } : undefined,
});
const deployment = (name: string, replicas: number, available: number, updated = available): Deployment =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: { replicas, selector: {}, template: { spec: { containers: [] } } },
    status: { availableReplicas: available, updatedReplicas: updated },
  }) as unknown as Deployment;

async function scrape(metrics: ControllerMetrics): Promise<string> {
  return metrics.registry.metrics();
}

describe('cluster metrics', () => {
  let pods: Pod[];
  let nodes: Node[];
  let deployments: Deployment[];
  let leader: boolean;
  let metrics: ControllerMetrics;

  beforeEach(() => {
    pods = [pod('a', 'Running'), pod('b', 'Running'), pod('c'), pod('d', 'Failed')];
    nodes = [node('n1', 'True'), node('n2', 'Unknown'), node('n3')];
    deployments = [deployment('web', 3, 2)];
    leader = true;
    metrics = new ControllerMetrics({ defaultMetrics: false });
    bindClusterMetrics(metrics, { pods: () => pods, nodes: () => nodes, deployments: () => deployments, isLeader: () => leader });
  });

  it('counts pods by phase, a pod without status as Pending, and reports zero phases too', async () => {
    const text = await scrape(metrics);
    assert.match(text, /^kite_pods\{phase="Running"\} 2$/m);
    assert.match(text, /^kite_pods\{phase="Pending"\} 1$/m);
    assert.match(text, /^kite_pods\{phase="Failed"\} 1$/m);
    assert.match(text, /^kite_pods\{phase="Succeeded"\} 0$/m);
  });

  it('counts nodes by Ready condition, a node without conditions as Unknown', async () => {
    const text = await scrape(metrics);
    assert.match(text, /^kite_nodes\{ready="True"\} 1$/m);
    assert.match(text, /^kite_nodes\{ready="Unknown"\} 2$/m);
    assert.match(text, /^kite_nodes\{ready="False"\} 0$/m);
  });

  it('reports deployment replicas by type, and follows the caches between scrapes', async () => {
    let text = await scrape(metrics);
    assert.match(text, /^kite_deployment_replicas\{namespace="shop",deployment="web",type="desired"\} 3$/m);
    assert.match(text, /^kite_deployment_replicas\{namespace="shop",deployment="web",type="unavailable"\} 1$/m);
    deployments = [];
    pods = [];
    text = await scrape(metrics);
    assert.doesNotMatch(text, /kite_deployment_replicas\{/);
    assert.match(text, /^kite_pods\{phase="Running"\} 0$/m);
  });

  it('reports nothing while this controller is not the leader (no double counting)', async () => {
    leader = false;
    const text = await scrape(metrics);
    assert.doesNotMatch(text, /kite_pods\{/);
    assert.doesNotMatch(text, /kite_nodes\{/);
    assert.doesNotMatch(text, /kite_deployment_replicas\{/);
  });

  it('uses the status unavailable count when the controller wrote one', () => {
    const d = deployment('api', 4, 4);
    d.status!.unavailableReplicas = 2;
    assert.deepEqual(deploymentReplicaCounts(d), { desired: 4, updated: 4, available: 4, unavailable: 2 });
  });
});
