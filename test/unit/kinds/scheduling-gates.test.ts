// spec.schedulingGates as Kubernetes has them: qualified, unique names, set only at creation, and
// an update may remove gates but never add one.
import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import { immutableIssues } from '../../../common/kinds/immutable';
import { requireKind } from '../../../common/kinds/registry';
import { validateObject } from '../../../common/manifest/validate';
import { podKind } from '../../../common/kinds/pod';

function gatedPod(gates: string[], spec: Partial<Pod['spec']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], schedulingGates: gates.map((name) => ({ name })), ...spec } };
}

function updateIssues(current: Pod, gates: string[] | undefined): string[] {
  const next = structuredClone(current);
  if (gates) next.spec.schedulingGates = gates.map((name) => ({ name }));
  else delete next.spec.schedulingGates;
  return immutableIssues(requireKind('Pod'), current, next).map((i) => `${i.path}: ${i.message}`);
}

describe('scheduling gates', () => {
  it('are accepted on a pod and in a workload template, without a no-effect warning', () => {
    assert.deepEqual(validateObject(gatedPod(['kite.io/depends-on', 'example.com/quota'])), { errors: [], warnings: [] });
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], schedulingGates: [{ name: 'kite.io/depends-on' }] } } },
    };
    assert.deepEqual(validateObject(deployment), { errors: [], warnings: [] });
  });

  it('must have unique qualified names', () => {
    const errors = (p: Pod) => validateObject(p).errors.map((e) => `${e.path}: ${e.message}`);
    assert.ok(errors(gatedPod(['a/b', 'a/b'])).some((e) => /^spec\.schedulingGates\[1\]\.name: duplicate scheduling gate/.test(e)), errors(gatedPod(['a/b', 'a/b'])).join('\n'));
    assert.ok(errors(gatedPod(['not a name'])).some((e) => e.startsWith('spec.schedulingGates[0].name:')));
    assert.ok(errors(gatedPod([''])).some((e) => e.startsWith('spec.schedulingGates[0].name:')));
  });

  it('cannot be created on a pod that names its node', () => {
    const errs = validateObject(gatedPod(['a/b'], { nodeName: 'n1' })).errors.map((e) => `${e.path}: ${e.message}`);
    assert.deepEqual(errs, ['spec.nodeName: cannot be set until all schedulingGates have been removed']);
    assert.deepEqual(validateObject(gatedPod([], { nodeName: 'n1' })).errors, []);
  });

  it('may be removed by an update, one or all, but not added or renamed', () => {
    const current = gatedPod(['a/one', 'a/two']);
    assert.deepEqual(updateIssues(current, ['a/two']), []);
    assert.deepEqual(updateIssues(current, []), []);
    assert.deepEqual(updateIssues(current, undefined), []);
    assert.deepEqual(updateIssues(current, ['a/one', 'a/two', 'a/three']), ['spec.schedulingGates: only deletion is allowed, but found new scheduling gate "a/three"']);
    assert.deepEqual(updateIssues(current, ['a/renamed']), ['spec.schedulingGates: only deletion is allowed, but found new scheduling gate "a/renamed"']);
    const ungated = gatedPod([]);
    delete ungated.spec.schedulingGates;
    assert.deepEqual(updateIssues(ungated, ['a/late']), ['spec.schedulingGates: only deletion is allowed, but found new scheduling gate "a/late"']);
  });

  it('show as STATUS SchedulingGated in `kite get pods` while the pod is gated or marked so and unbound', () => {
    const status = (p: Pod) => podKind.table.cells(p, Date.now())[2];
    assert.equal(status(gatedPod(['a/b'])), 'SchedulingGated', 'before the scheduler writes the condition');
    const released = gatedPod([]);
    released.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] };
    assert.equal(status(released), 'SchedulingGated', 'as kubectl: the condition says so');
    released.spec.nodeName = 'n1';
    assert.equal(status(released), 'Pending', 'bound: no longer gated');
    released.spec.nodeName = undefined;
    released.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }];
    assert.equal(status(released), 'Pending');
  });
});
