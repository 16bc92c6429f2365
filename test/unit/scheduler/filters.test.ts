import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import { ClusterSnapshot, DEFAULT_FILTERS, NodeInfo, podInfoOf, type Filter } from '../../../controller/scheduler';
import {
  hostPortsFilter,
  nodeNameFilter,
  nodeReadyFilter,
  nodeSelectorFilter,
  podCountFilter,
  resourcesFilter,
  taintTolerationFilter,
  unschedulableFilter,
} from '../../../controller/scheduler/filters';
import { node, pod, type NodeOpts } from './fixtures';

/** The filter's verdict for the pod on a fresh node; null = fits. */
function verdict(f: Filter, p: Pod, n: NodeOpts | NodeInfo = {}) {
  const info = podInfoOf(p);
  const ni = n instanceof NodeInfo ? n : new NodeInfo(node('n', n));
  if (!f.appliesTo(info)) return 'n/a';
  return f.check(info, ni);
}

describe('scheduler filters', () => {
  it('run in the documented order: node state, node name, taints, affinity, ports, count, resources, other pods', () => {
    assert.deepEqual(
      DEFAULT_FILTERS.map((f) => f.name),
      ['NodeReady', 'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'PodCount', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity', 'InterPodAntiAffinity'],
    );
  });

  describe('NodeReady', () => {
    it('rejects not-ready nodes as unresolvable', () => {
      assert.equal(verdict(nodeReadyFilter, pod('p')), null);
      assert.deepEqual(verdict(nodeReadyFilter, pod('p'), { ready: false }), { filter: 'NodeReady', reason: 'node(s) were not ready', unresolvable: true });
    });
    it('does not apply to pods tolerating node.kubernetes.io/not-ready', () => {
      const p = pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] } });
      assert.equal(verdict(nodeReadyFilter, p, { ready: false }), 'n/a');
    });
  });

  describe('NodeUnschedulable', () => {
    it('rejects cordoned nodes', () => {
      assert.equal(verdict(unschedulableFilter, pod('p')), null);
      assert.equal((verdict(unschedulableFilter, pod('p'), { unschedulable: true }) as { reason: string }).reason, 'node(s) were unschedulable');
    });
    it('lets pods tolerating node.kubernetes.io/unschedulable onto cordoned nodes', () => {
      const p = pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
      assert.equal(verdict(unschedulableFilter, p, { unschedulable: true }), 'n/a');
    });
  });

  describe('NodeName', () => {
    it('only accepts the named node', () => {
      assert.equal(verdict(nodeNameFilter, pod('p')), 'n/a');
      assert.equal(verdict(nodeNameFilter, pod('p', { nodeName: 'n' })), null);
      assert.equal((verdict(nodeNameFilter, pod('p', { nodeName: 'other' })) as { reason: string }).reason, "node(s) didn't match the requested node name");
    });
  });

  describe('TaintToleration', () => {
    const gpu: NodeOpts = { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] };
    const withTolerations = (...tolerations: NonNullable<Pod['spec']['tolerations']>) => pod('p', { spec: { tolerations } });

    it('names the first untolerated taint as {key: value}', () => {
      assert.deepEqual(verdict(taintTolerationFilter, pod('p'), gpu), {
        filter: 'TaintToleration',
        reason: 'node(s) had untolerated taint {gpu: true}',
        unresolvable: true,
      });
    });
    it('applies to NoExecute but not PreferNoSchedule taints', () => {
      assert.notEqual(verdict(taintTolerationFilter, pod('p'), { taints: [{ key: 'k', effect: 'NoExecute' }] }), null);
      assert.equal(verdict(taintTolerationFilter, pod('p'), { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), null);
    });
    it('matches Equal tolerations on key and value', () => {
      assert.equal(verdict(taintTolerationFilter, withTolerations({ key: 'gpu', operator: 'Equal', value: 'true' }), gpu), null);
      assert.equal(verdict(taintTolerationFilter, withTolerations({ key: 'gpu', value: 'true', effect: 'NoSchedule' }), gpu), null);
      assert.notEqual(verdict(taintTolerationFilter, withTolerations({ key: 'gpu', operator: 'Equal', value: 'false' }), gpu), null);
    });
    it('matches Exists tolerations on key alone, and an empty key tolerates everything', () => {
      assert.equal(verdict(taintTolerationFilter, withTolerations({ key: 'gpu', operator: 'Exists' }), gpu), null);
      assert.equal(verdict(taintTolerationFilter, withTolerations({ operator: 'Exists' }), gpu), null);
      assert.notEqual(verdict(taintTolerationFilter, withTolerations({ key: 'tpu', operator: 'Exists' }), gpu), null);
    });
    it('requires the toleration effect to match when one is given', () => {
      assert.notEqual(verdict(taintTolerationFilter, withTolerations({ key: 'gpu', operator: 'Exists', effect: 'NoExecute' }), gpu), null);
    });
    it('requires every hard taint to be tolerated', () => {
      const two: NodeOpts = { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', value: 'x', effect: 'NoSchedule' }] };
      const r = verdict(taintTolerationFilter, withTolerations({ key: 'a', operator: 'Exists' }), two) as { reason: string };
      assert.equal(r.reason, 'node(s) had untolerated taint {b: x}');
    });
  });

  describe('NodeAffinity', () => {
    const labelled: NodeOpts = { labels: { zone: 'a', disk: 'ssd', cores: '8' } };
    const required = (...terms: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'; values?: string[] }[][]) =>
      pod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((t) => ({ matchExpressions: t })) } } } } });
    const fits = (p: Pod) => verdict(nodeSelectorFilter, p, labelled) === null;

    it('does not apply to pods without selector or required affinity', () => {
      assert.equal(verdict(nodeSelectorFilter, pod('p'), labelled), 'n/a');
    });
    it('requires every nodeSelector label', () => {
      assert.equal(fits(pod('p', { spec: { nodeSelector: { zone: 'a', disk: 'ssd' } } })), true);
      const r = verdict(nodeSelectorFilter, pod('p', { spec: { nodeSelector: { zone: 'a', disk: 'hdd' } } }), labelled);
      assert.deepEqual(r, { filter: 'NodeAffinity', reason: "node(s) didn't match Pod's node affinity/selector", unresolvable: true });
    });
    it('supports In, NotIn, Exists, DoesNotExist, Gt and Lt', () => {
      assert.equal(fits(required([{ key: 'zone', operator: 'In', values: ['a', 'b'] }])), true);
      assert.equal(fits(required([{ key: 'zone', operator: 'In', values: ['b'] }])), false);
      assert.equal(fits(required([{ key: 'zone', operator: 'NotIn', values: ['b'] }])), true);
      assert.equal(fits(required([{ key: 'zone', operator: 'NotIn', values: ['a'] }])), false);
      assert.equal(fits(required([{ key: 'missing', operator: 'NotIn', values: ['a'] }])), true);
      assert.equal(fits(required([{ key: 'disk', operator: 'Exists' }])), true);
      assert.equal(fits(required([{ key: 'gpu', operator: 'Exists' }])), false);
      assert.equal(fits(required([{ key: 'gpu', operator: 'DoesNotExist' }])), true);
      assert.equal(fits(required([{ key: 'disk', operator: 'DoesNotExist' }])), false);
      assert.equal(fits(required([{ key: 'cores', operator: 'Gt', values: ['4'] }])), true);
      assert.equal(fits(required([{ key: 'cores', operator: 'Gt', values: ['8'] }])), false);
      assert.equal(fits(required([{ key: 'cores', operator: 'Lt', values: ['16'] }])), true);
      assert.equal(fits(required([{ key: 'zone', operator: 'Lt', values: ['16'] }])), false, 'non-integer label never matches Gt/Lt');
    });
    it('ANDs expressions within a term and ORs terms', () => {
      const zoneA = { key: 'zone', operator: 'In' as const, values: ['a'] };
      const hdd = { key: 'disk', operator: 'In' as const, values: ['hdd'] };
      assert.equal(fits(required([zoneA, hdd])), false);
      assert.equal(fits(required([hdd], [zoneA])), true);
    });
    it('matches no node with an empty term list or an empty term', () => {
      assert.equal(fits(required()), false);
      assert.equal(fits(required([])), false);
    });
    it('supports matchFields on metadata.name', () => {
      const p = pod('p', {
        spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] } } } },
      });
      assert.equal(fits(p), true);
    });
  });

  describe('NodePorts', () => {
    it('rejects a node where the host port is taken, as resolvable', () => {
      const s = ClusterSnapshot.build([node('n')], [pod('web', { hostPort: 80, nodeName: 'n' })]);
      assert.equal(verdict(hostPortsFilter, pod('p')), 'n/a');
      assert.equal(verdict(hostPortsFilter, pod('p', { hostPort: 81 }), s.node('n')!), null);
      assert.deepEqual(verdict(hostPortsFilter, pod('p', { hostPort: 80 }), s.node('n')!), {
        filter: 'NodePorts',
        reason: "node(s) didn't have free ports for the requested pod ports",
      });
    });
  });

  describe('PodCount', () => {
    it('rejects a node at its pod limit with "Too many pods"', () => {
      const s = ClusterSnapshot.build([node('n', { pods: '1' })], [pod('a', { nodeName: 'n' })]);
      const r = verdict(podCountFilter, pod('p'), s.node('n')!) as { reason: string; unresolvable?: boolean };
      assert.equal(r.reason, 'Too many pods');
      assert.ok(!r.unresolvable);
      assert.equal((verdict(podCountFilter, pod('p'), { pods: '0' }) as { unresolvable?: boolean }).unresolvable, true);
    });
  });

  describe('NodeResourcesFit', () => {
    const busy = () => ClusterSnapshot.build([node('n', { cpu: '2', memory: '4Gi' })], [pod('a', { cpu: '1500m', memory: '3Gi', nodeName: 'n' })]).node('n')!;

    it('does not apply to pods requesting nothing', () => {
      assert.equal(verdict(resourcesFilter, pod('p')), 'n/a');
    });
    it('fits requests into allocatable minus requested', () => {
      assert.equal(verdict(resourcesFilter, pod('p', { cpu: '500m', memory: '1Gi' }), busy()), null);
    });
    it('reports Insufficient cpu / memory as resolvable when the node could fit the pod once empty', () => {
      assert.deepEqual(verdict(resourcesFilter, pod('p', { cpu: '600m' }), busy()), { filter: 'NodeResourcesFit', reason: 'Insufficient cpu' });
      assert.deepEqual(verdict(resourcesFilter, pod('p', { memory: '2Gi' }), busy()), { filter: 'NodeResourcesFit', reason: 'Insufficient memory' });
    });
    it('marks requests beyond the whole allocatable unresolvable', () => {
      assert.deepEqual(verdict(resourcesFilter, pod('p', { cpu: '3' }), busy()), { filter: 'NodeResourcesFit', reason: 'Insufficient cpu', unresolvable: true });
      assert.deepEqual(verdict(resourcesFilter, pod('p', { memory: '5Gi' }), busy()), { filter: 'NodeResourcesFit', reason: 'Insufficient memory', unresolvable: true });
    });
  });
});
