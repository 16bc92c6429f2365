import assert from 'node:assert/strict';
import { FakeClock } from '../../../common/clock';
import type { PodStatusReport } from '../../../common/generated/kite/v1/PodStatusReport';
import { StatusReporter, podStatusReport, type ContainerFacts, type PodFacts } from '../../../node-agent/pods/reporter';

const status = (uid: string, phase: string): PodStatusReport => ({ uid, name: uid, namespace: 'default', phase, observed_at: new Date().toISOString() });

describe('StatusReporter', () => {
  let clock: FakeClock;
  let batches: PodStatusReport[][];
  let reporter: StatusReporter;

  beforeEach(() => {
    clock = new FakeClock();
    batches = [];
    reporter = new StatusReporter(clock, 50, (b) => batches.push(b));
  });

  afterEach(() => reporter.close());

  it('sends a change after a quiet spell without waiting for the window', () => {
    reporter.report(status('a', 'Running'));
    clock.advance(0);
    assert.deepEqual(batches.map((b) => b.map((r) => r.uid)), [['a']]);
  });

  it('changes made in the same turn share one batch', () => {
    reporter.report(status('a', 'Running'));
    reporter.report(status('b', 'Running'));
    clock.advance(0);
    assert.deepEqual(batches.map((b) => b.map((r) => r.uid)), [['a', 'b']]);
  });

  it('holds a burst to one batch per window, keeping only the latest status of each pod', () => {
    reporter.report(status('a', 'Pending'));
    clock.advance(0);
    clock.advance(10);
    reporter.report(status('a', 'Running'));
    clock.advance(10);
    reporter.report(status('b', 'Running'));
    clock.advance(20);
    assert.equal(batches.length, 1, 'nothing more before the window ends');
    clock.advance(10);
    assert.deepEqual(
      batches.map((b) => b.map((r) => `${r.uid}:${r.phase}`)),
      [['a:Pending'], ['a:Running', 'b:Running']],
    );
  });

  it('does not repeat a status that did not change (observed_at aside)', () => {
    reporter.report(status('a', 'Running'));
    clock.advance(100);
    reporter.report({ ...status('a', 'Running'), observed_at: 'later' });
    clock.advance(100);
    assert.equal(batches.length, 1);
  });
});

describe('podStatusReport (worker facts to the wire status)', () => {
  const ended = (exitCode: number) => ({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', message: '', startedAt: 'a', finishedAt: 'b' });
  const container = (over: Partial<ContainerFacts> = {}): ContainerFacts => ({ spec: { name: 'main', image: 'img' }, restartCount: 0, ready: false, started: false, ...over });
  const facts = (containers: ContainerFacts[], over: Partial<PodFacts> = {}): PodFacts => ({
    uid: 'u',
    metadata: { name: 'p' },
    podIP: '10.0.0.1',
    startTime: 's',
    containers,
    terminated: false,
    now: Date.UTC(2026, 0, 1),
    ...over,
  });
  const running = container({ id: 'abc', info: { state: 'running', imageId: 'sha', startedAt: 't' }, ready: true, started: true });

  it('reports a running, ready container and the pod Running and ready', () => {
    const r = podStatusReport(facts([running]));
    assert.deepEqual([r.phase, r.ready, r.terminated, r.namespace], ['Running', true, false, 'default']);
    assert.deepEqual([r.containers?.[0]?.state, r.containers?.[0]?.container_id], ['running', 'docker://abc']);
  });

  it('phase: Succeeded when every container completed, Failed when any failed, Pending before any ran', () => {
    assert.equal(podStatusReport(facts([container({ terminated: ended(0) })])).phase, 'Succeeded');
    assert.equal(podStatusReport(facts([container({ terminated: ended(0) }), container({ terminated: ended(143) })])).phase, 'Failed');
    assert.equal(podStatusReport(facts([container({ waiting: { reason: 'ContainerCreating', message: '' } })])).phase, 'Pending');
  });

  it('carries terminated for a pod whose deletion finished', () => {
    const r = podStatusReport(facts([container({ terminated: ended(143) })], { terminated: true }));
    assert.equal(r.terminated, true);
    assert.equal(r.containers?.[0]?.state, 'terminated');
  });

  it('claims nothing running while the runtime does not answer', () => {
    const r = podStatusReport(facts([running], { runtimeError: 'engine down' }));
    assert.deepEqual([r.reason, r.ready, r.containers?.[0]?.state, r.containers?.[0]?.reason], ['ContainerRuntimeUnavailable', false, 'waiting', 'ContainerRuntimeUnavailable']);
  });
});
