import assert from 'node:assert/strict';
import type { Node } from '../../../common/api/types';
import { ClusterSnapshot, FitError, Scheduler, schedule, scheduleAll } from '../../../controller/scheduler';
import { node, pod, replicas, tally } from './fixtures';

const nodes = (count: number, o: Parameters<typeof node>[1] = {}): Node[] => Array.from({ length: count }, (_, i) => node(`node-${String(i).padStart(4, '0')}`, o));

describe('scheduler', () => {
  describe('spreading', () => {
    it('spreads 30 replicas over 3 equal nodes 10/10/10', () => {
      const s = ClusterSnapshot.build(nodes(3), []);
      const results = scheduleAll(replicas('web', 30, { cpu: '100m', memory: '64Mi' }), s);
      assert.deepEqual(Object.values(tally(results)), [10, 10, 10]);
    });

    it('spreads request-less replicas evenly too', () => {
      const s = ClusterSnapshot.build(nodes(3), []);
      assert.deepEqual(Object.values(tally(scheduleAll(replicas('web', 30), s))), [10, 10, 10]);
    });

    it('fills equal nodes evenly with unrelated pods (ties do not always go to the first node)', () => {
      const s = ClusterSnapshot.build(nodes(4), []);
      const pods = Array.from({ length: 20 }, (_, i) => pod(`bare-${i}`));
      assert.deepEqual(Object.values(tally(scheduleAll(pods, s))), [5, 5, 5, 5]);
    });

    it('counts replicas already bound to nodes', () => {
      const existing = replicas('web', 4, { nodeName: 'node-0000' });
      const s = ClusterSnapshot.build(nodes(3), existing);
      const more = Array.from({ length: 5 }, (_, i) => pod(`web-new-${i}`, { owner: 'web' }));
      const t = tally(scheduleAll(more, s));
      assert.equal(t['node-0000'], undefined, 'the node already holding 4 replicas gets none of the next 5');
      assert.deepEqual([t['node-0001'], t['node-0002']].sort(), [2, 3]);
    });

    it('keeps spread quality when sampling a large cluster', () => {
      const s = ClusterSnapshot.build(nodes(1000), []);
      const results = scheduleAll(replicas('web', 3000, { cpu: '10m' }), s);
      const counts = Object.values(tally(results));
      assert.equal(counts.length, 1000);
      assert.deepEqual([Math.min(...counts), Math.max(...counts)], [3, 3]);
    });
  });

  describe('resource accounting', () => {
    it('sees earlier placements of the batch and reports the rest unschedulable', () => {
      const s = ClusterSnapshot.build([node('a', { cpu: '2', memory: '4Gi' }), node('b', { cpu: '2', memory: '4Gi' })], []);
      const results = scheduleAll(replicas('web', 5, { cpu: '1' }), s);
      assert.deepEqual(tally(results), { a: 2, b: 2 });
      const last = results[4]!;
      assert.ok('unschedulable' in last);
      assert.equal(last.unschedulable.message, '0/2 nodes are available: 2 Insufficient cpu.');
      assert.equal(last.unschedulable.unresolvable, false);
      assert.equal(s.node('a')!.requestedMilliCpu, 2000);
    });

    it('places a pod again after forget frees capacity', () => {
      const s = ClusterSnapshot.build([node('a', { cpu: '1' })], []);
      const [first, second] = [pod('p1', { cpu: '1' }), pod('p2', { cpu: '1' })];
      assert.deepEqual(scheduleAll([first, second], s).map((r) => 'node' in r), [true, false]);
      s.forget(first);
      assert.deepEqual(scheduleAll([second], s), [{ node: 'a' }]);
    });

    it('re-evaluates identical pods in a batch once capacity is forgotten mid-batch', () => {
      const s = ClusterSnapshot.build([node('a', { cpu: '1' })], [pod('old', { cpu: '1', nodeName: 'a' })]);
      const sched = new Scheduler();
      assert.ok('unschedulable' in sched.schedule(pod('w0', { cpu: '1', owner: 'w' }), s));
      const batch = replicas('w', 3, { cpu: '1' }).slice(1);
      const r1 = sched.scheduleAll(batch, s);
      assert.ok(r1.every((r) => 'unschedulable' in r));
      s.forget(pod('old'));
      assert.deepEqual(sched.scheduleAll(batch, s).map((r) => 'node' in r), [true, false]);
    });

    it('respects the pod limit', () => {
      const s = ClusterSnapshot.build([node('a', { pods: '2' })], []);
      const results = scheduleAll(replicas('w', 3), s);
      const last = results[2]!;
      assert.ok('unschedulable' in last && last.unschedulable.message === '0/1 nodes are available: 1 Too many pods.');
    });
  });

  describe('host ports', () => {
    it('puts at most one pod per host port on a node', () => {
      const s = ClusterSnapshot.build(nodes(2), []);
      const results = scheduleAll(replicas('ingress', 3, { hostPort: 443 }), s);
      assert.deepEqual(Object.values(tally(results)), [1, 1]);
      const last = results[2]!;
      assert.ok('unschedulable' in last);
      assert.equal(last.unschedulable.message, "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports.");
    });
  });

  describe('node state', () => {
    it('never places pods on cordoned or not-ready nodes', () => {
      const s = ClusterSnapshot.build([node('cordoned', { unschedulable: true }), node('down', { ready: false }), node('ok')], []);
      assert.deepEqual(tally(scheduleAll(replicas('w', 6), s)), { ok: 6 });
    });

    it('honours spec.nodeName', () => {
      const s = ClusterSnapshot.build(nodes(3), []);
      assert.deepEqual(schedule(pod('p', { nodeName: 'node-0002' }), s), { node: 'node-0002' });
    });

    it('returns the current node of a pod that is already placed', () => {
      const s = ClusterSnapshot.build(nodes(3), []);
      const p = pod('p');
      const first = schedule(p, s);
      assert.deepEqual(schedule(p, s), first);
      assert.equal(s.node((first as { node: string }).node)!.podCount, 1);
    });
  });

  describe('ranking', () => {
    it('prefers nodes matching preferred node affinity, by weight', () => {
      const s = ClusterSnapshot.build([node('hdd', { labels: { disk: 'hdd' } }), node('ssd', { labels: { disk: 'ssd' } }), node('plain')], []);
      const p = pod('p', {
        spec: {
          affinity: {
            nodeAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] } },
                { weight: 80, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
              ],
            },
          },
        },
      });
      assert.deepEqual(schedule(p, s), { node: 'ssd' });
    });

    it('avoids untolerated PreferNoSchedule taints when there is a choice', () => {
      const s = ClusterSnapshot.build([node('soft', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }), node('clean')], []);
      assert.deepEqual(schedule(pod('p'), s), { node: 'clean' });
    });

    it('still uses a PreferNoSchedule-tainted node when it is the only one', () => {
      const s = ClusterSnapshot.build([node('soft', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] })], []);
      assert.deepEqual(tally(scheduleAll(replicas('w', 2), s)), { soft: 2 });
    });

    it('prefers the least allocated node', () => {
      const s = ClusterSnapshot.build([node('busy'), node('idle')], [pod('hog', { cpu: '3', memory: '6Gi', nodeName: 'busy' })]);
      assert.deepEqual(schedule(pod('p', { cpu: '100m' }), s), { node: 'idle' });
    });
  });

  describe('batches', () => {
    it('returns one result per pod, in order', () => {
      const s = ClusterSnapshot.build([node('a', { cpu: '1' })], []);
      const results = scheduleAll([pod('small', { cpu: '500m' }), pod('huge', { cpu: '8' }), pod('fits', { cpu: '500m' })], s);
      assert.deepEqual(results[0], { node: 'a' });
      assert.ok('unschedulable' in results[1]! && results[1].unschedulable.unresolvable);
      assert.deepEqual(results[2], { node: 'a' });
    });

    it('turns a pod with invalid requests into an unresolvable FitError without failing the batch', () => {
      const s = ClusterSnapshot.build([node('a')], []);
      const results = scheduleAll([pod('bad', { cpu: 'lots' }), pod('good')], s);
      const bad = results[0]!;
      assert.ok('unschedulable' in bad && bad.unschedulable instanceof FitError);
      assert.equal(bad.unschedulable.unresolvable, true);
      assert.match(bad.unschedulable.message, /invalid resource requests/);
      assert.deepEqual(results[1], { node: 'a' });
    });
  });

  describe('sampling', () => {
    it('scores all nodes in small clusters and max(100, 10%) in large ones', () => {
      const s = new Scheduler();
      assert.equal(s.feasibleNodesToFind(50), 50);
      assert.equal(s.feasibleNodesToFind(100), 100);
      assert.equal(s.feasibleNodesToFind(1000), 100);
      assert.equal(s.feasibleNodesToFind(5000), 500);
      assert.equal(new Scheduler({ percentageOfNodesToScore: 100 }).feasibleNodesToFind(5000), 5000);
    });

    it('still finds the single feasible node of a large cluster', () => {
      const all = nodes(1000, { unschedulable: true });
      all[637] = node('the-one');
      const s = ClusterSnapshot.build(all, []);
      assert.deepEqual(schedule(pod('p'), s), { node: 'the-one' });
    });
  });
});
