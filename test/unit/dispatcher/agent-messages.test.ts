// What the dispatcher accepts from agents, and what it makes of it.
import { strict as assert } from 'node:assert';
import type { Node, Pod } from '../../../common/api/types';
import type { NodeInfo__Output } from '../../../common/generated/kite/v1/NodeInfo';
import type { PodStatusReport__Output } from '../../../common/generated/kite/v1/PodStatusReport';
import { checkNodeInfo, nodeFromRegistration, NETWORK_UNAVAILABLE_ANNOTATION, NETWORK_UNAVAILABLE_TAINT, UNREACHABLE_TAINT } from '../../../controller/dispatcher/node-object';
import { VTEP_MAC_ANNOTATION } from '../../../controller/dispatcher/network-feed';
import { podStatusFromReport, reportProblem, eventProblem, sameStatus } from '../../../controller/dispatcher/pod-status';
import { isKiteError } from '../../../common/errors';

function info(over: Partial<NodeInfo__Output> = {}): NodeInfo__Output {
  return {
    name: 'node-1', labels: { zone: 'a' }, taints: [], cpu_millis: '2000', memory_bytes: String(8 * 1024 ** 3), max_pods: 110,
    os: 'linux', arch: 'amd64', kernel_version: '6.1', runtime: 'docker', runtime_version: '20.10', address: '10.0.0.5',
    metrics_port: 7402, stream_port: 7403, agent_version: '0.1.0', hostname: 'node-1', vtep_mac: '', storage_dir: '', ...over,
  };
}

const pod: Pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] },
};

function report(over: Partial<PodStatusReport__Output> = {}): PodStatusReport__Output {
  return {
    uid: 'u1', namespace: 'default', name: 'web', phase: 'Running', reason: '', message: '', ready: true, pod_ip: '172.17.0.2',
    start_time: '2026-01-01T00:00:00Z', observed_at: '2026-01-01T00:00:01Z', terminated: false, init_containers: [], initializing: false,
    containers: [{ name: 'app', container_id: 'docker://abc', image: 'busybox', image_id: '', state: 'running', reason: '', message: '', exit_code: 0, restart_count: 2, ready: true, started: true, started_at: '2026-01-01T00:00:00Z', finished_at: '', last_reason: 'Error', last_exit_code: 1, last_finished_at: '2025-12-31T23:59:00Z' }],
    ...over,
  };
}

describe('agent registration', () => {
  it('accepts a sane node and refuses a bad name, zero capacity or a bad taint effect, naming each problem', () => {
    checkNodeInfo(info());
    assert.throws(() => checkNodeInfo(info({ name: 'Bad_Name', cpu_millis: '0', taints: [{ key: 'gpu', value: '1', effect: 'Sometimes' }] })), (e: unknown) => {
      assert.ok(isKiteError(e, 'Invalid'));
      assert.match(e.message, /Bad_Name/);
      assert.match(e.message, /cpu_millis/);
      assert.match(e.message, /Sometimes/);
      return true;
    });
  });

  it('records the pod subnet and VTEP MAC, or taints the node network-unavailable with the reason when there is no subnet', () => {
    const withNet = nodeFromRegistration(info({ vtep_mac: '02:00:00:00:00:01' }), undefined, '10.0.0.5', { podCIDR: '10.244.3.0/24' }, Date.UTC(2026, 0, 1));
    assert.equal(withNet.spec.podCIDR, '10.244.3.0/24');
    assert.deepEqual(withNet.spec.podCIDRs, ['10.244.3.0/24']);
    assert.equal(withNet.metadata.annotations?.[VTEP_MAC_ANNOTATION], '02:00:00:00:00:01');
    assert.ok(!withNet.spec.taints?.some((t) => t.key === NETWORK_UNAVAILABLE_TAINT));

    const full = nodeFromRegistration(info(), undefined, '10.0.0.6', { unavailable: 'the cluster CIDR 10.244.0.0/24 is full' }, Date.UTC(2026, 0, 1));
    assert.equal(full.spec.podCIDR, undefined);
    assert.deepEqual(full.spec.taints?.map((t) => [t.key, t.effect]), [[NETWORK_UNAVAILABLE_TAINT, 'NoSchedule']]);
    assert.match(full.metadata.annotations?.[NETWORK_UNAVAILABLE_ANNOTATION] ?? '', /is full/);

    // A later registration that got a subnet lifts the taint and the reason.
    const healed = nodeFromRegistration(info(), full, '10.0.0.6', { podCIDR: '10.244.9.0/24' }, Date.UTC(2026, 0, 1));
    assert.deepEqual(healed.spec.taints, []);
    assert.equal(healed.metadata.annotations?.[NETWORK_UNAVAILABLE_ANNOTATION], undefined);
  });

  it('builds the Node from the registration but keeps a cordon and user taints, dropping the unreachable taint', () => {
    const existing: Node = {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n1', labels: { team: 'x' } },
      spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, { key: UNREACHABLE_TAINT, effect: 'NoExecute' }] },
    };
    const node = nodeFromRegistration(info({ taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }), existing, '10.0.0.5', {}, Date.UTC(2026, 0, 1));
    assert.equal(node.spec.unschedulable, true);
    assert.deepEqual(node.spec.taints?.map((t) => t.key).sort(), ['dedicated', 'gpu']);
    assert.equal(node.metadata.labels?.team, 'x');
    assert.equal(node.metadata.labels?.zone, 'a');
    assert.equal(node.status?.capacity?.cpu, '2');
    assert.equal(node.status?.capacity?.memory, '8Gi');
    assert.equal(node.status?.addresses?.[0]?.address, '10.0.0.5');
    assert.equal(node.status?.conditions?.[0]?.status, 'True');
  });
});

describe('pod status reports', () => {
  it('refuses reports for pods not on the reporting node, unknown phases, states or containers', () => {
    assert.equal(reportProblem(report(), pod, 'node-1'), undefined);
    assert.match(reportProblem(report(), undefined, 'node-1')!, /not known/);
    assert.match(reportProblem(report(), pod, 'node-2')!, /not assigned to node node-2/);
    assert.match(reportProblem(report({ phase: 'Exploded' }), pod, 'node-1')!, /phase "Exploded"/);
    assert.match(reportProblem(report({ containers: [{ ...report().containers[0]!, name: 'ghost' }] }), pod, 'node-1')!, /"ghost"/);
    assert.match(reportProblem(report({ containers: [{ ...report().containers[0]!, state: 'melting' }] }), pod, 'node-1')!, /melting/);
  });

  it('maps a report to Kubernetes pod status with conditions, restart counts and the last termination', () => {
    const s = podStatusFromReport(report(), pod, '10.0.0.5');
    assert.equal(s.phase, 'Running');
    assert.equal(s.hostIP, '10.0.0.5');
    assert.equal(s.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    const c = s.containerStatuses![0]!;
    assert.equal(c.containerID, 'docker://abc');
    assert.equal(c.restartCount, 2);
    assert.deepEqual(c.state, { running: { startedAt: '2026-01-01T00:00:00Z' } });
    assert.equal(c.lastState?.terminated?.exitCode, 1);
    assert.equal(c.lastState?.terminated?.reason, 'Error');
  });

  it('treats a report that changes only timestamps as unchanged, and a readiness flip as a change', () => {
    const a = podStatusFromReport(report(), pod, '10.0.0.5');
    const b = podStatusFromReport(report({ observed_at: '2026-01-01T00:05:00Z' }), { ...pod, status: a }, '10.0.0.5');
    assert.ok(sameStatus(a, b));
    const c = podStatusFromReport(report({ ready: false }), { ...pod, status: a }, '10.0.0.5');
    assert.ok(!sameStatus(a, c));
  });
});

describe('pod events from agents', () => {
  const ev = (over: Partial<{ pod_uid: string; type: string; reason: string; message: string }> = {}) => ({ pod_uid: 'u1', type: 'Normal', reason: 'Started', message: 'Started container app', ...over });

  it('accepts an event for a pod on the reporting node', () => {
    assert.equal(eventProblem(ev(), pod, 'node-1'), undefined);
  });

  it('refuses events for other nodes\' or unknown pods, unknown types and reasons that are not a short word', () => {
    assert.match(eventProblem(ev(), pod, 'node-2')!, /not assigned to node node-2/);
    assert.match(eventProblem(ev({ pod_uid: 'nope' }), undefined, 'node-1')!, /not assigned/);
    assert.match(eventProblem(ev({ type: 'Fatal' }), pod, 'node-1')!, /"Fatal"/);
    assert.match(eventProblem(ev({ reason: 'has spaces in it' }), pod, 'node-1')!, /CamelCase/);
    assert.match(eventProblem(ev({ reason: 'x'.repeat(100) }), pod, 'node-1')!, /CamelCase/);
  });
});
