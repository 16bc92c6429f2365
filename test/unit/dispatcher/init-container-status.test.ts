// The controller side of init containers: an agent's report becomes initContainerStatuses and the
// Initialized condition; init container statuses are checked against the spec.
import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import type { ContainerStatus__Output } from '../../../common/generated/kite/v1/ContainerStatus';
import type { PodStatusReport__Output } from '../../../common/generated/kite/v1/PodStatusReport';
import { podStatusFromReport, reportProblem } from '../../../controller/dispatcher/pod-status';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { nodeName: 'node-1', initContainers: [{ name: 'setup', image: 'busybox' }], containers: [{ name: 'app', image: 'busybox' }] },
};

function status(name: string, state: string, reason = ''): ContainerStatus__Output {
  return { name, container_id: '', image: 'busybox', image_id: '', state, reason, message: '', exit_code: 0, restart_count: 0, ready: state === 'terminated', started: false, started_at: '', finished_at: '', last_reason: '', last_exit_code: 0, last_finished_at: '' };
}

function report(over: Partial<PodStatusReport__Output> = {}): PodStatusReport__Output {
  return {
    uid: 'u1', namespace: 'default', name: 'web', phase: 'Pending', reason: '', message: '', ready: false, pod_ip: '', start_time: '', observed_at: '2026-01-01T00:00:01Z', terminated: false,
    containers: [status('app', 'waiting', 'PodInitializing')], init_containers: [status('setup', 'running')], initializing: true,
    ...over,
  };
}

describe('init container status from agent reports', () => {
  it('fills initContainerStatuses and Initialized False (ContainersNotInitialized) while initializing', () => {
    const s = podStatusFromReport(report(), pod, '10.0.0.1');
    assert.deepEqual(s.initContainerStatuses?.map((c) => [c.name, Object.keys(c.state)[0]]), [['setup', 'running']]);
    const initialized = s.conditions?.find((c) => c.type === 'Initialized');
    assert.deepEqual([initialized?.status, initialized?.reason], ['False', 'ContainersNotInitialized']);
  });

  it('turns Initialized True once the agent says initialization is done', () => {
    const s = podStatusFromReport(report({ initializing: false, init_containers: [status('setup', 'terminated', 'Completed')] }), pod, '10.0.0.1');
    assert.equal(s.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
    assert.equal(s.initContainerStatuses?.[0]?.state.terminated?.reason, 'Completed');
  });

  it('leaves initContainerStatuses out for pods without init containers', () => {
    const plain: Pod = { ...pod, spec: { ...pod.spec, initContainers: undefined } };
    assert.equal(podStatusFromReport(report({ init_containers: [], initializing: false }), plain, '').initContainerStatuses, undefined);
  });

  it('refuses init container statuses the spec does not have, or reported twice', () => {
    assert.equal(reportProblem(report({ init_containers: [status('other', 'running')] }), pod, 'node-1'), 'init container "other" is not in the pod spec');
    assert.equal(reportProblem(report({ init_containers: [status('app', 'running')] }), pod, 'node-1'), 'init container "app" is not in the pod spec');
    assert.equal(reportProblem(report({ init_containers: [status('setup', 'running'), status('setup', 'running')] }), pod, 'node-1'), 'init container "setup" is reported twice');
    assert.equal(reportProblem(report(), pod, 'node-1'), undefined);
  });
});
