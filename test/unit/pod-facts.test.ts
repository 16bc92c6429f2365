import { strict as assert } from 'node:assert';
import type { Pod } from '../../common/api/types';
import { hasReadyCondition, isPodPhase, isPodTerminal, isTerminalPhase, podReadyCondition } from '../../common/api/pod';

const pod = (status: Pod['status']): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] }, status });

describe('pod facts (common/api/pod.ts)', () => {
  it('knows the pod phases and nothing else', () => {
    for (const p of ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']) assert.ok(isPodPhase(p), p);
    for (const p of ['Completed', 'running', '', undefined, 3]) assert.ok(!isPodPhase(p), String(p));
  });

  it('calls only Succeeded and Failed terminal', () => {
    assert.deepEqual(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown', undefined].map(isTerminalPhase), [false, false, true, true, false, false]);
    assert.ok(isPodTerminal(pod({ phase: 'Failed' })));
    assert.ok(!isPodTerminal(pod(undefined)));
  });

  it('reads the Ready condition: True is ready; False or none is not', () => {
    const ready = pod({ phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] });
    assert.equal(podReadyCondition(ready)?.lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.ok(hasReadyCondition(ready));
    assert.ok(!hasReadyCondition(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] })));
    assert.ok(!hasReadyCondition(pod({ phase: 'Running', conditions: [{ type: 'ContainersReady', status: 'True' }] })));
  });
});
