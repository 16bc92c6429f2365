import assert from 'node:assert/strict';
import { ClusterSnapshot, explainPod, FitError, formatFitMessage, schedule } from '../../../controller/scheduler';
import { node, pod } from './fixtures';

function unschedulable(r: ReturnType<typeof schedule>): FitError {
  assert.ok('unschedulable' in r, `expected unschedulable, got ${JSON.stringify(r)}`);
  return r.unschedulable;
}

describe('scheduler explanations', () => {
  it('counts nodes per reason in Kubernetes style', () => {
    const s = ClusterSnapshot.build(
      [node('a', { memory: '1Gi' }), node('b', { memory: '1Gi' }), node('gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })],
      [],
    );
    const err = unschedulable(schedule(pod('p', { memory: '2Gi' }), s));
    assert.ok(err instanceof FitError && err instanceof Error);
    assert.equal(err.message, '0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {gpu: true}.');
    assert.equal(err.numAllNodes, 3);
    assert.deepEqual([...err.reasons].sort(), [['Insufficient memory', 2], ['node(s) had untolerated taint {gpu: true}', 1]]);
  });

  it('sorts reasons by count descending, then alphabetically', () => {
    const reasons = new Map([
      ['node(s) were unschedulable', 1],
      ['Too many pods', 2],
      ['Insufficient cpu', 1],
    ]);
    assert.equal(formatFitMessage(4, reasons), '0/4 nodes are available: 2 Too many pods, 1 Insufficient cpu, 1 node(s) were unschedulable.');
  });

  it('says so when no nodes are registered, as unresolvable', () => {
    const err = unschedulable(schedule(pod('p'), ClusterSnapshot.build([], [])));
    assert.equal(err.message, '0/0 nodes are available: no nodes registered.');
    assert.equal(err.unresolvable, true);
  });

  it('is unresolvable only when every node rejected the pod for a reason pods cannot change', () => {
    const never = ClusterSnapshot.build([node('a', { cpu: '1' }), node('b', { unschedulable: true })], []);
    assert.equal(unschedulable(schedule(pod('p', { cpu: '2' }), never)).unresolvable, true);

    const full = ClusterSnapshot.build([node('a', { cpu: '1' }), node('b', { unschedulable: true })], [pod('x', { cpu: '1', nodeName: 'a' })]);
    const err = unschedulable(schedule(pod('p', { cpu: '1' }), full));
    assert.equal(err.message, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable.');
    assert.equal(err.unresolvable, false);
  });

  it('reports the first failing filter per node, so a not-ready node is not blamed on memory', () => {
    const s = ClusterSnapshot.build([node('a', { ready: false, memory: '1Gi' })], []);
    assert.equal(unschedulable(schedule(pod('p', { memory: '2Gi' }), s)).message, '0/1 nodes are available: 1 node(s) were not ready.');
  });

  it('explains every node without placing the pod', () => {
    const s = ClusterSnapshot.build([node('a'), node('b', { unschedulable: true })], []);
    const verdicts = explainPod(pod('p'), s);
    assert.deepEqual(verdicts.map((v) => [v.node, v.rejection?.reason ?? null]), [
      ['a', null],
      ['b', 'node(s) were unschedulable'],
    ]);
    assert.equal(s.nodeOf(pod('p')), undefined);
  });
});
