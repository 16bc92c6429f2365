import assert from 'node:assert/strict';
import type { Node, Pod } from '../../../common/api/types';
import { ClusterSnapshot, DEFAULT_FILTERS, FitError, schedule } from '../../../controller/scheduler';
import { CLUSTER_CHANGES, isAwaitedChange, nodeChanges, type ClusterChange } from '../../../controller/scheduler/cluster-change';
import { node, pod, type NodeOpts } from './fixtures';

function fitError(p: Pod, nodes: Node[], bound: Pod[] = []): FitError {
  const r = schedule(p, ClusterSnapshot.build(nodes, bound));
  assert.ok('unschedulable' in r, `expected ${p.metadata.name} not to fit`);
  return r.unschedulable;
}

const sorted = (s: ReadonlySet<ClusterChange>) => [...s].sort();

describe('scheduler re-queueing', () => {
  it('every default filter declares only known cluster changes, and at least a node joining', () => {
    for (const f of DEFAULT_FILTERS) {
      for (const c of f.requeueOn) assert.ok((CLUSTER_CHANGES as readonly string[]).includes(c), `${f.name}: ${c}`);
      assert.ok(f.requeueOn.includes('added'), f.name);
    }
  });

  it('a pod rejected by an untolerated taint awaits a taint change, not a label change', () => {
    const tainted = node('n', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] });
    const err = fitError(pod('p'), [tainted]);
    assert.deepEqual(sorted(err.requeueOn), ['added', 'taints']);
    const relabelled = node('n', { taints: tainted.spec.taints, labels: { zone: 'b' } });
    const untainted = node('n');
    assert.equal(isAwaitedChange(err.requeueOn, nodeChanges(tainted, relabelled)), false);
    assert.equal(isAwaitedChange(err.requeueOn, nodeChanges(tainted, untainted)), true);
  });

  it('a pod short of memory awaits freed pods or more allocatable, unless it can never fit', () => {
    const full = node('n', { memory: '2Gi' });
    const err = fitError(pod('p', { memory: '1500Mi' }), [full], [pod('big', { memory: '1Gi', nodeName: 'n' })]);
    assert.deepEqual(sorted(err.requeueOn), ['added', 'allocatable', 'pods-freed']);
    assert.equal(err.unresolvable, false);
    const never = fitError(pod('p', { memory: '3Gi' }), [full]);
    assert.deepEqual(sorted(never.requeueOn), ['added', 'allocatable']);
    assert.equal(never.unresolvable, true);
  });

  it('awaits the union of what the filters rejecting it on each node await', () => {
    const err = fitError(pod('p', { spec: { nodeSelector: { disk: 'ssd' } } }), [node('a', { ready: false }), node('b'), node('c', { unschedulable: true, labels: { disk: 'ssd' } })]);
    assert.deepEqual(sorted(err.requeueOn), ['added', 'labels', 'ready', 'unschedulable']);
  });

  describe('nodeChanges', () => {
    const changes = (before: NodeOpts, after: NodeOpts) => sorted(nodeChanges(node('n', before), node('n', after)));
    it('names each fact of a node the filters read', () => {
      assert.deepEqual(sorted(nodeChanges(undefined, node('n'))), ['added']);
      assert.deepEqual(changes({}, {}), []);
      assert.deepEqual(changes({}, { ready: false }), ['ready']);
      assert.deepEqual(changes({}, { unschedulable: true }), ['unschedulable']);
      assert.deepEqual(changes({}, { labels: { a: 'b' } }), ['labels']);
      assert.deepEqual(changes({}, { taints: [{ key: 'k', effect: 'NoExecute' }] }), ['taints']);
      assert.deepEqual(changes({}, { memory: '16Gi', pods: '5' }), ['allocatable']);
    });
    it('ignores what no filter reads: PreferNoSchedule taints and equal quantities spelled differently', () => {
      assert.deepEqual(changes({}, { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), []);
      assert.deepEqual(changes({ memory: '1Gi' }, { memory: '1024Mi' }), []);
    });
  });
});
