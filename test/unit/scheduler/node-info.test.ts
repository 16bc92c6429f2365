import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import { isKiteError } from '../../../common/errors';
import { ClusterSnapshot, DEFAULT_MAX_PODS, NodeInfo, podInfoOf } from '../../../controller/scheduler';
import { node, pod } from './fixtures';

const GiB = 2 ** 30;

describe('scheduler NodeInfo', () => {
  it('reads allocatable cpu as millicores and memory as bytes', () => {
    const n = new NodeInfo(node('a', { cpu: '1500m', memory: '8Gi', pods: '20' }));
    assert.deepEqual(n.allocatable, { milliCpu: 1500, memory: 8 * GiB, pods: 20 });
    const bytes = new NodeInfo(node('b', { cpu: '2', memory: '1048576' }));
    assert.equal(bytes.allocatable.milliCpu, 2000);
    assert.equal(bytes.allocatable.memory, 1048576);
  });

  it('falls back to capacity, and to the kubelet default pod limit', () => {
    const raw = node('a');
    raw.status = { capacity: { cpu: '3', memory: '1Gi', pods: '' }, conditions: [] };
    const n = new NodeInfo(raw);
    assert.deepEqual(n.allocatable, { milliCpu: 3000, memory: GiB, pods: DEFAULT_MAX_PODS });
  });

  it('treats a node without a True Ready condition as not ready', () => {
    assert.equal(new NodeInfo(node('a')).ready, true);
    assert.equal(new NodeInfo(node('a', { ready: false })).ready, false);
    const noStatus = node('a');
    delete noStatus.status;
    assert.equal(new NodeInfo(noStatus).ready, false);
  });

  it('separates hard taints from PreferNoSchedule taints', () => {
    const n = new NodeInfo(
      node('a', {
        taints: [
          { key: 'gpu', value: 'true', effect: 'NoSchedule' },
          { key: 'x', effect: 'NoExecute' },
          { key: 'soft', effect: 'PreferNoSchedule' },
        ],
      }),
    );
    assert.deepEqual(n.hardTaints.map((t) => t.key), ['gpu', 'x']);
    assert.deepEqual(n.softTaints.map((t) => t.key), ['soft']);
  });
});

describe('scheduler pod requests', () => {
  it('sums requests over containers, falling back to limits per resource', () => {
    const p = pod('p', {
      containers: [
        { name: 'a', image: 'x', resources: { requests: { cpu: '250m' }, limits: { cpu: '1', memory: '64Mi' } } },
        { name: 'b', image: 'x', resources: { requests: { cpu: '0.5', memory: '128Mi' } } },
      ],
    });
    const info = podInfoOf(p);
    assert.equal(info.milliCpu, 750);
    assert.equal(info.memory, 192 * 2 ** 20);
  });

  it('uses non-zero defaults (100m, 200Mi) for scoring containers that request nothing', () => {
    const info = podInfoOf(pod('p'));
    assert.equal(info.milliCpu, 0);
    assert.equal(info.memory, 0);
    assert.equal(info.nonZeroMilliCpu, 100);
    assert.equal(info.nonZeroMemory, 200 * 2 ** 20);
  });

  it('rejects unparseable quantities as Invalid', () => {
    assert.throws(() => podInfoOf(pod('p', { cpu: 'lots' })), (e) => isKiteError(e, 'Invalid'));
  });

  it('keys spreading by the controller owner, else by namespace and labels', () => {
    assert.equal(podInfoOf(pod('a', { owner: 'web' })).spreadKey, podInfoOf(pod('b', { owner: 'web' })).spreadKey);
    assert.notEqual(podInfoOf(pod('a', { owner: 'web' })).spreadKey, podInfoOf(pod('b', { owner: 'api' })).spreadKey);
    const l1 = podInfoOf(pod('a', { labels: { app: 'x', tier: 'y' } })).spreadKey;
    const l2 = podInfoOf(pod('b', { labels: { tier: 'y', app: 'x' } })).spreadKey;
    assert.equal(l1, l2);
    assert.notEqual(l1, podInfoOf(pod('c', { labels: { app: 'x', tier: 'y' }, namespace: 'other' })).spreadKey);
    assert.equal(podInfoOf(pod('d')).spreadKey, undefined);
  });
});

describe('scheduler ClusterSnapshot', () => {
  it('counts bound pods, skipping finished pods and pods of unknown nodes', () => {
    const done: Pod = { ...pod('done', { cpu: '1', nodeName: 'a' }), status: { phase: 'Succeeded' } };
    const s = ClusterSnapshot.build([node('a')], [pod('run', { cpu: '1', nodeName: 'a' }), done, pod('lost', { cpu: '1', nodeName: 'gone' }), pod('pending', { cpu: '1' })]);
    const a = s.node('a')!;
    assert.equal(a.podCount, 1);
    assert.equal(a.requestedMilliCpu, 1000);
    assert.equal(s.nodeOf(pod('run')), 'a');
    assert.equal(s.nodeOf(pod('pending')), undefined);
  });

  it('accounts requests, ports and spread counts on assume and releases them on forget', () => {
    const s = ClusterSnapshot.build([node('a')], []);
    const p = pod('p', { cpu: '500m', memory: '1Gi', owner: 'web', hostPort: 8080 });
    s.assume(p, 'a');
    const a = s.node('a')!;
    assert.equal(a.requestedMilliCpu, 500);
    assert.equal(a.requestedMemory, GiB);
    assert.equal(a.countOf(podInfoOf(p).spreadKey!), 1);
    assert.equal(a.hasPortConflict([{ protocol: 'TCP', port: 8080, hostIP: '' }]), true);
    assert.equal(a.hasPortConflict([{ protocol: 'UDP', port: 8080, hostIP: '' }]), false);

    const before = s.releases;
    assert.equal(s.forget(p), true);
    assert.equal(s.releases, before + 1);
    assert.equal(a.requestedMilliCpu, 0);
    assert.equal(a.requestedMemory, 0);
    assert.equal(a.podCount, 0);
    assert.equal(a.countOf(podInfoOf(p).spreadKey!), 0);
    assert.equal(a.hasPortConflict([{ protocol: 'TCP', port: 8080, hostIP: '' }]), false);
    assert.equal(s.forget(p), false);
  });

  it('refuses to assume onto an unknown node or assume a pod twice', () => {
    const s = ClusterSnapshot.build([node('a'), node('b')], []);
    assert.throws(() => s.assume(pod('p'), 'zzz'), (e) => isKiteError(e, 'NotFound'));
    s.assume(pod('p'), 'a');
    assert.throws(() => s.assume(pod('p'), 'b'), (e) => isKiteError(e, 'Conflict'));
  });

  it('lets host ports on distinct specific IPs coexist, but not with a wildcard', () => {
    const n = new NodeInfo(node('a'));
    n.addPod({ ...podInfoOf(pod('p1')), key: 'default/p1', hostPorts: [{ protocol: 'TCP', port: 80, hostIP: '10.0.0.1' }] });
    assert.equal(n.hasPortConflict([{ protocol: 'TCP', port: 80, hostIP: '10.0.0.2' }]), false);
    assert.equal(n.hasPortConflict([{ protocol: 'TCP', port: 80, hostIP: '10.0.0.1' }]), true);
    assert.equal(n.hasPortConflict([{ protocol: 'TCP', port: 80, hostIP: '0.0.0.0' }]), true);
  });
});
