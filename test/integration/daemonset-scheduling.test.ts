// DaemonSet pods go through the scheduler (integration: etcd + controller process + hollow nodes
// over real gRPC): a daemon pod whose node has no room stays Pending with the scheduler's reason,
// while its sibling runs on the node with room.
import assert from 'node:assert/strict';
import type { DaemonSet, KObject, Pod } from '../../common/api/types';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startHollowNode, type HollowNode } from '../harness/hollow-node';
import { startController, eventually, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';

const GiB = 2 ** 30;
const NS = 'ds-sched';

/** The node a daemon pod is pinned to by its required node affinity. */
function pinnedNode(p: Pod): string | undefined {
  return p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0];
}

describe('DaemonSet scheduling (integration: etcd + controller + hollow nodes)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  const nodes: HollowNode[] = [];

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: '/kite-it-ds-sched', heartbeatMs: 500 });
    nodes.push(await startHollowNode(ctl.target, ctl.client, 'roomy', { memoryBytes: 8 * GiB }));
    nodes.push(await startHollowNode(ctl.target, ctl.client, 'cramped', { memoryBytes: 1 * GiB }));
    await ctl.client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KObject]);
  });

  after(async function () {
    this.timeout(30_000);
    for (const n of nodes) await n.agent.stop().catch(() => undefined);
    await ctl?.stop();
    await etcd?.stop();
  });

  it('a daemon pod on a node without room stays Pending with the scheduler reason, while it runs on the node with room', async () => {
    const client = ctl!.client;
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'hungry', namespace: NS },
      spec: {
        selector: { matchLabels: { app: 'hungry' } },
        template: { metadata: { labels: { app: 'hungry' } }, spec: { containers: [{ name: 'main', image: 'busybox:1', resources: { requests: { memory: '2Gi' } } }] } },
      },
    } as DaemonSet;
    await client.apply([ds]);

    const pods = async () => (await client.list<Pod>('Pod', { namespace: NS, labelSelector: 'app=hungry' })).items;
    const expected = "0/2 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector.";
    const seen = await eventually(async () => {
      const ps = await pods();
      const running = ps.find((p) => p.spec.nodeName === 'roomy' && p.status?.phase === 'Running');
      const waiting = ps.find((p) => pinnedNode(p) === 'cramped');
      const reason = waiting?.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      return ps.length === 2 && running && reason ? { running, waiting: waiting!, reason } : undefined;
    }, 20_000, 'one daemon pod Running on roomy, the other unschedulable');

    assert.equal(pinnedNode(seen.running), 'roomy');
    assert.equal(seen.waiting.spec.nodeName, undefined, 'the pod for the cramped node is not bound');
    assert.equal(seen.reason.reason, 'Unschedulable');
    assert.equal(seen.reason.message, expected);

    // Settled: a moment later it is still the same pod, still Pending (not recreated or forced onto the node).
    await new Promise((r) => setTimeout(r, 1500));
    const later = (await pods()).find((p) => pinnedNode(p) === 'cramped');
    assert.equal(later?.metadata.uid, seen.waiting.metadata.uid);
    assert.equal(later?.spec.nodeName, undefined);
    assert.equal(later?.status?.phase ?? 'Pending', 'Pending');

    const status = await eventually(async () => {
      const s = (await client.get<DaemonSet>('DaemonSet', 'hungry', NS)).status;
      return s?.numberReady === 1 ? s : undefined;
    }, 10_000, 'DaemonSet status');
    assert.equal(status.desiredNumberScheduled, 2);
    assert.equal(status.numberAvailable, 1);
  });
});
