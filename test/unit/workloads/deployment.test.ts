import assert from 'node:assert/strict';
import type { Deployment, Pod, ReplicaSet } from '../../../common/api/types';
import { POD_TEMPLATE_HASH, REVISION_ANNOTATION, rollingLimits } from '../../../controller/workloads';
import { TestCluster, isLive, isReady, template, watchPods } from './harness';

function deployment(name: string, replicas: number, image: string, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template(image, { app: name }), ...extra },
  };
}

const condition = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);

describe('Deployment controller', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = new TestCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  async function replicaSets(): Promise<ReplicaSet[]> {
    return (await c.store.list<ReplicaSet>('ReplicaSet')).items;
  }
  const imageOf = (p: Pod) => p.spec.containers[0]?.image;

  /**
   * Plays the cluster until the rollout settles: pending pods are bound and become Ready one at a
   * time. With `steps`, stops after that many pods (mid-rollout) instead.
   */
  async function rollOut(steps?: number): Promise<void> {
    for (let i = 0; i < (steps ?? 50); i++) {
      const pending = (await c.pods()).filter((p) => !isReady(p) && isLive(p));
      if (!pending.length) return;
      await c.runPods(pending.slice(0, 1));
    }
    if (steps === undefined) assert.fail('rollout did not settle');
  }

  it('creates a ReplicaSet named <deployment>-<hash> with the pod-template-hash label and revision 1', async () => {
    await c.create(deployment('web', 3, 'nginx:1'));
    const [rs, ...others] = await replicaSets();
    assert.equal(others.length, 0);
    const hash = rs!.metadata.labels?.[POD_TEMPLATE_HASH];
    assert.match(hash ?? '', /^[a-z0-9]{10}$/);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.equal(rs!.metadata.annotations?.[REVISION_ANNOTATION], '1');
    assert.equal(rs!.spec.selector.matchLabels?.[POD_TEMPLATE_HASH], hash);
    assert.equal(rs!.spec.template.metadata?.labels?.[POD_TEMPLATE_HASH], hash);
    assert.equal(rs!.spec.replicas, 3);
    const d = await c.get<Deployment>('Deployment', 'web');
    assert.equal(d.metadata.annotations?.[REVISION_ANNOTATION], '1');
    const pods = await c.pods();
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] === hash));
    assert.ok(c.recorded.some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set web-${hash} to 3`));
  });

  it('reports status and the Available/Progressing conditions once pods are ready', async () => {
    await c.create(deployment('web', 2, 'nginx:1'));
    let d = await c.get<Deployment>('Deployment', 'web');
    assert.equal(condition(d, 'Available')?.status, 'False');
    assert.equal(condition(d, 'Progressing')?.reason, 'ReplicaSetUpdated');
    await rollOut();
    d = await c.get<Deployment>('Deployment', 'web');
    assert.deepEqual(
      { ...d.status, conditions: undefined },
      { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 0, conditions: undefined },
    );
    assert.equal(condition(d, 'Available')?.status, 'True');
    assert.equal(condition(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    const metrics = await c.metrics.registry.getSingleMetricAsString('kite_deployment_replicas');
    assert.match(metrics, /kite_deployment_replicas\{namespace="default",deployment="web",type="available"\} 2/);
  });

  it('rolls out a new template without exceeding replicas+maxSurge pods or dropping below replicas-maxUnavailable available', async () => {
    await c.create(deployment('web', 4, 'nginx:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rollOut();
    let maxPods = 0;
    let minAvailable = Infinity;
    const watcher = watchPods(c.store, (pods) => {
      const live = [...pods.values()].filter(isLive);
      maxPods = Math.max(maxPods, live.length);
      minAvailable = Math.min(minAvailable, live.filter(isReady).length);
    });
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = 'nginx:2'));
    await rollOut();
    await watcher.stop();
    assert.ok(maxPods <= 5, `saw ${maxPods} pods`);
    assert.ok(minAvailable >= 3, `available dropped to ${minAvailable}`);
    assert.equal(maxPods, 5, 'the surge is used');
    const pods = await c.pods();
    assert.deepEqual(pods.map(imageOf), ['nginx:2', 'nginx:2', 'nginx:2', 'nginx:2']);
    const d = await c.get<Deployment>('Deployment', 'web');
    assert.equal(d.metadata.annotations?.[REVISION_ANNOTATION], '2');
    assert.equal(condition(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    assert.deepEqual((await replicaSets()).map((rs) => rs.spec.replicas).sort(), [0, 4]);
  });

  it('rounds percentages like Kubernetes: surge up, unavailable down', () => {
    const d = deployment('web', 10, 'x', { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    assert.deepEqual(rollingLimits(d, 10), { maxSurge: 3, maxUnavailable: 2 });
    const zero = deployment('web', 1, 'x', { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } });
    assert.deepEqual(rollingLimits(zero, 1), { maxSurge: 0, maxUnavailable: 1 });
  });

  it('with maxSurge 0 deletes an old pod before creating a new one', async () => {
    await c.create(deployment('web', 3, 'nginx:1', { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }));
    await rollOut();
    let maxPods = 0;
    const watcher = watchPods(c.store, (pods) => (maxPods = Math.max(maxPods, [...pods.values()].filter(isLive).length)));
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = 'nginx:2'));
    await rollOut();
    await watcher.stop();
    assert.equal(maxPods, 3);
    assert.deepEqual((await c.pods()).map(imageOf), ['nginx:2', 'nginx:2', 'nginx:2']);
  });

  it('Recreate removes every old pod before the first new one is created', async () => {
    await c.create(deployment('web', 3, 'nginx:1', { strategy: { type: 'Recreate' } }));
    await rollOut();
    const watcher = watchPods(c.store, (pods) => {
      const images = new Set([...pods.values()].filter(isLive).map(imageOf));
      assert.ok(images.size <= 1, `old and new pods side by side: ${[...images].join(', ')}`);
    });
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = 'nginx:2'));
    await rollOut();
    await watcher.stop();
    assert.deepEqual(watcher.failures, []);
    assert.deepEqual((await c.pods()).map(imageOf), ['nginx:2', 'nginx:2', 'nginx:2']);
  });

  it('Recreate waits until the old pods have stopped, not only until they are Terminating', async () => {
    await c.create(deployment('web', 2, 'nginx:1', { strategy: { type: 'Recreate' } }));
    await rollOut();
    c.kubeletStopsPods = false;
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = 'nginx:2'));
    const during = await c.pods();
    assert.deepEqual(during.map((p) => [imageOf(p), !!p.metadata.deletionTimestamp]), [['nginx:1', true], ['nginx:1', true]]);
    c.kubeletStopsPods = true;
    await c.settle();
    await rollOut();
    assert.deepEqual((await c.pods()).map(imageOf), ['nginx:2', 'nginx:2']);
  });

  it('scales the current ReplicaSet when replicas change', async () => {
    await c.create(deployment('web', 2, 'nginx:1'));
    await rollOut();
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.replicas = 5));
    assert.equal((await c.pods()).length, 5);
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.replicas = 1));
    assert.equal((await c.pods()).length, 1);
    assert.equal((await replicaSets()).length, 1);
  });

  it('rolls back by reusing the old ReplicaSet, which gets the next revision number', async () => {
    await c.create(deployment('web', 2, 'nginx:1'));
    await rollOut();
    const [v1] = await replicaSets();
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = 'nginx:2'));
    await rollOut();
    // What `kite rollout undo` does: copy the old ReplicaSet's template (hash label included) into the Deployment.
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template = structuredClone(v1!.spec.template)));
    await rollOut();
    const all = await replicaSets();
    assert.equal(all.length, 2);
    const back = all.find((rs) => rs.metadata.uid === v1!.metadata.uid);
    assert.ok(back, 'the revision-1 ReplicaSet is reused, not recreated');
    assert.equal(back.metadata.annotations?.[REVISION_ANNOTATION], '3');
    assert.equal(back.spec.replicas, 2);
    assert.equal((await c.get<Deployment>('Deployment', 'web')).metadata.annotations?.[REVISION_ANNOTATION], '3');
    assert.deepEqual((await c.pods()).map(imageOf), ['nginx:1', 'nginx:1']);
  });

  it('keeps only revisionHistoryLimit old ReplicaSets, deleting the oldest', async () => {
    await c.create(deployment('web', 1, 'v1', { revisionHistoryLimit: 1 }));
    await rollOut();
    for (const image of ['v2', 'v3', 'v4']) {
      await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = image));
      await rollOut();
    }
    const images = (await replicaSets()).map((rs) => rs.spec.template.spec.containers[0]?.image).sort();
    assert.deepEqual(images, ['v3', 'v4']);
  });

  it('reports ProgressDeadlineExceeded when a rollout makes no progress for progressDeadlineSeconds', async () => {
    await c.create(deployment('web', 2, 'nginx:1', { progressDeadlineSeconds: 30 }));
    await rollOut();
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = 'broken'));
    await c.advance(29_000);
    assert.equal(condition(await c.get<Deployment>('Deployment', 'web'), 'Progressing')?.reason, 'ReplicaSetUpdated');
    await c.advance(2_000);
    const d = await c.get<Deployment>('Deployment', 'web');
    assert.equal(condition(d, 'Progressing')?.status, 'False');
    assert.equal(condition(d, 'Progressing')?.reason, 'ProgressDeadlineExceeded');
    assert.ok(c.recorded.some((e) => e.reason === 'ProgressDeadlineExceeded'));
    // The old pods keep serving; progress later clears the condition.
    assert.equal(condition(d, 'Available')?.status, 'True');
    await rollOut();
    assert.equal(condition(await c.get<Deployment>('Deployment', 'web'), 'Progressing')?.reason, 'NewReplicaSetAvailable');
  });

  it('honours minReadySeconds: old pods go only once new ones have been Ready long enough', async () => {
    await c.create(deployment('web', 2, 'nginx:1', { minReadySeconds: 10, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await rollOut();
    await c.advance(10_000);
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = 'nginx:2'));
    await rollOut(1);
    assert.equal((await c.pods()).filter((p) => imageOf(p) === 'nginx:1').length, 2, 'the new pod is Ready but not yet available');
    await c.advance(10_000);
    assert.equal((await c.pods()).filter((p) => imageOf(p) === 'nginx:1').length, 1);
  });

  it('does not roll out while paused, and continues when resumed', async () => {
    await c.create(deployment('web', 2, 'nginx:1'));
    await rollOut();
    await c.change<Deployment>('Deployment', 'web', (d) => {
      d.spec.paused = true;
      d.spec.template.spec.containers[0]!.image = 'nginx:2';
    });
    assert.deepEqual((await c.pods()).map(imageOf), ['nginx:1', 'nginx:1']);
    assert.equal(condition(await c.get<Deployment>('Deployment', 'web'), 'Progressing')?.reason, 'DeploymentPaused');
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.paused = false));
    await rollOut();
    assert.deepEqual((await c.pods()).map(imageOf), ['nginx:2', 'nginx:2']);
  });

  it('continues a rollout after a controller restart, from what the store says', async () => {
    await c.create(deployment('web', 4, 'nginx:1', { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rollOut();
    let maxPods = 0;
    const watcher = watchPods(c.store, (pods) => (maxPods = Math.max(maxPods, [...pods.values()].filter(isLive).length)));
    await c.change<Deployment>('Deployment', 'web', (d) => (d.spec.template.spec.containers[0]!.image = 'nginx:2'));
    await rollOut(2);
    await c.restartControllers();
    await rollOut();
    await watcher.stop();
    assert.ok(maxPods <= 5);
    assert.deepEqual((await c.pods()).map(imageOf), ['nginx:2', 'nginx:2', 'nginx:2', 'nginx:2']);
    const all = await replicaSets();
    assert.equal(all.length, 2);
    assert.equal((await c.get<Deployment>('Deployment', 'web')).metadata.annotations?.[REVISION_ANNOTATION], '2');
  });
});
