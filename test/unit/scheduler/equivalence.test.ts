import assert from 'node:assert/strict';
import { ClusterSnapshot, DEFAULT_FILTERS, podInfoOf, Scheduler, type Filter } from '../../../controller/scheduler';
import { equivalenceKeyFor } from '../../../controller/scheduler/equivalence';
import { podCountFilter, resourcesFilter } from '../../../controller/scheduler/filters';
import { node, pod } from './fixtures';

describe('scheduler equivalence key', () => {
  const key = equivalenceKeyFor(DEFAULT_FILTERS);
  const keyOf = (p: Parameters<typeof podInfoOf>[0]) => key(podInfoOf(p));

  it('changes when a field a filter declares changes', () => {
    const base = keyOf(pod('a', { memory: '1Gi' }));
    assert.notEqual(keyOf(pod('a', { memory: '2Gi' })), base, 'requests (NodeResourcesFit)');
    assert.notEqual(keyOf(pod('a', { memory: '1Gi', hostPort: 80 })), base, 'host ports (NodePorts)');
    assert.notEqual(keyOf(pod('a', { memory: '1Gi', nodeName: 'n1' })), base, 'nodeName (NodeName)');
    assert.notEqual(keyOf(pod('a', { memory: '1Gi', spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } })), base, 'tolerations');
    assert.notEqual(keyOf(pod('a', { memory: '1Gi', spec: { nodeSelector: { disk: 'ssd' } } })), base, 'nodeSelector (NodeAffinity)');
    // Placed pods' anti-affinity terms select newcomers by labels and namespace.
    assert.notEqual(keyOf(pod('a', { memory: '1Gi', labels: { app: 'x' } })), base, 'labels (InterPodAntiAffinity)');
    assert.notEqual(keyOf(pod('a', { memory: '1Gi', namespace: 'other' })), base, 'namespace (InterPodAntiAffinity)');
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'zone' }] } };
    assert.notEqual(keyOf(pod('a', { memory: '1Gi', spec: { affinity: anti } })), base, 'inter-pod terms');
  });

  it('does not change with fields no filter declares (name, owner, preferred node affinity)', () => {
    const base = keyOf(pod('a', { memory: '1Gi' }));
    const preferred = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, preference: { matchExpressions: [{ key: 'disk', operator: 'In' as const, values: ['ssd'] }] } }] } };
    assert.equal(keyOf(pod('b', { memory: '1Gi', owner: 'rs' })), base);
    assert.equal(keyOf(pod('c', { memory: '1Gi', spec: { affinity: preferred } })), base);
  });

  it('includes a field as soon as a filter declares it', () => {
    const bySpread: Filter = { ...podCountFilter, name: 'BySpread', podFields: ['spreadKey'] };
    const k = equivalenceKeyFor([resourcesFilter, bySpread]);
    assert.notEqual(k(podInfoOf(pod('a', { owner: 'x' }))), k(podInfoOf(pod('a', { owner: 'y' }))));
    assert.equal(equivalenceKeyFor([resourcesFilter])(podInfoOf(pod('a', { owner: 'x' }))), equivalenceKeyFor([resourcesFilter])(podInfoOf(pod('a', { owner: 'y' }))));
  });

  it('is what scheduleAll uses to reuse a failure: an undeclared field would wrongly share it', () => {
    // Rejects the replicas of workload "a" everywhere, and nothing else.
    const rejectA = (podFields: Filter['podFields']): Filter => ({
      name: 'RejectA',
      podFields,
      requeueOn: ['added'],
      appliesTo: () => true,
      check: (p) => (p.spreadKey === 'owner:uid-a' ? { filter: 'RejectA', reason: 'workload a', unresolvable: true } : null),
    });
    const pods = [pod('a-0', { owner: 'a' }), pod('b-0', { owner: 'b' })];
    const run = (f: Filter) => new Scheduler({ filters: [f] }).scheduleAll(pods, ClusterSnapshot.build([node('n')], [])).map((r) => 'node' in r);
    assert.deepEqual(run(rejectA(['spreadKey'])), [false, true], 'declared: b is filtered on its own');
    assert.deepEqual(run(rejectA([])), [false, false], 'undeclared: b reuses a\'s failure');
  });
});
