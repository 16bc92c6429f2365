import assert from 'node:assert/strict';
import { FakeClock } from '../../../common/clock';
import type { PodStatusReport } from '../../../common/generated/kite/v1/PodStatusReport';
import { StatusReporter } from '../../../node-agent/pods/reporter';

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
