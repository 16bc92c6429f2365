// The snapshot's index of placed pods for inter-pod rules: counts stay equal to a fresh walk as
// pods are assumed and forgotten, and placed pods' terms come and go with them.
import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import { ClusterSnapshot, podInfoOf, type PodInfo } from '../../../controller/scheduler';
import { interPodAntiAffinityFilter } from '../../../controller/scheduler/filters';
import { node, pod } from './fixtures';

const web = (name: string, o: { nodeName?: string; anti?: boolean } = {}): Pod =>
  pod(name, {
    labels: { app: 'web' },
    nodeName: o.nodeName,
    spec: o.anti ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } } : {},
  });
const isWeb = (p: PodInfo) => p.labels.app === 'web';
const byName = (m: ReadonlyMap<{ name: string }, number>) => Object.fromEntries([...m].map(([n, c]) => [n.name, c]));

describe('PodMatchIndex', () => {
  it('counts matching pods per node from the first walk on, through assume and forget', () => {
    const s = ClusterSnapshot.build([node('a'), node('b')], [web('w0', { nodeName: 'a' }), pod('other', { nodeName: 'b' })]);
    const counts = s.podIndex.matching('web', isWeb);
    assert.deepEqual(byName(counts), { a: 1 });
    s.assume(web('w1'), 'b');
    s.assume(web('w2'), 'b');
    assert.deepEqual(byName(counts), { a: 1, b: 2 });
    s.forget(web('w0'));
    assert.deepEqual(byName(counts), { b: 2 }, 'a node with none left is dropped');
    assert.equal(s.podIndex.matching('web', () => false), counts, 'one count per signature');
  });

  it('holds placed pods\' terms while they are placed, grouped by identical term', () => {
    const s = ClusterSnapshot.build([node('a'), node('b')], [web('w0', { nodeName: 'a', anti: true })]);
    s.assume(web('w1', { anti: true }), 'b');
    const groups = [...s.podIndex.placedTerms()];
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.kind, 'requiredAntiAffinity');
    assert.deepEqual(byName(groups[0]!.perNode), { a: 1, b: 1 });
    assert.equal(s.podsWithAffinity, 2);
    s.forget(web('w0'));
    s.forget(web('w1'));
    assert.equal(s.podIndex.hasPlacedTerms, false);
    assert.equal(s.podsWithAffinity, 0);
  });

  it('a forgotten anti-affine pod no longer keeps newcomers out', () => {
    const s = ClusterSnapshot.build([node('a')], []);
    const guard = web('guard', { anti: true });
    s.assume(guard, 'a');
    const info = podInfoOf(web('newcomer'));
    assert.notEqual(interPodAntiAffinityFilter.prepare!(info, s)(info, s.node('a')!), null);
    s.forget(guard);
    assert.equal(interPodAntiAffinityFilter.appliesTo(info, s), false);
  });
});
