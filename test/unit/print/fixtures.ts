// Resource builders for the printer tests: a fixed "now" and objects created relative to it.
import type { Event, Node, ObjectMeta, Pod } from '../../../common/api/types';

export const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

/** ISO timestamp `ms` before NOW. */
export const ago = (ms: number) => new Date(NOW - ms).toISOString();
export const sec = 1000;
export const min = 60 * sec;
export const hour = 60 * min;
export const day = 24 * hour;

export function meta(name: string, extra: Partial<ObjectMeta> = {}): ObjectMeta {
  return { name, namespace: 'default', creationTimestamp: ago(5 * min), ...extra };
}

export function runningPod(name: string, extra: Partial<Pod> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name),
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.25' }] },
    status: {
      phase: 'Running',
      podIP: '10.88.0.5',
      hostIP: '192.168.1.10',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', image: 'nginx:1.25', ready: true, restartCount: 0, state: { running: { startedAt: ago(4 * min) } } }],
    },
    ...extra,
  };
}

export function node(name: string, extra: Partial<Node> = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, creationTimestamp: ago(3 * day), labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'AgentReady', message: 'agent is posting ready status', lastHeartbeatTime: ago(10 * sec), lastTransitionTime: ago(3 * day) }],
      addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: name }],
      nodeInfo: { operatingSystem: 'linux', architecture: 'amd64', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'docker://24.0.7', kiteVersion: 'v0.1.0' },
    },
    ...extra,
  };
}

export function event(reason: string, message: string, extra: Partial<Event> = {}): Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta(`web.${reason.toLowerCase()}`),
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
    reason,
    message,
    type: 'Normal',
    count: 1,
    firstTimestamp: ago(2 * min),
    lastTimestamp: ago(2 * min),
    source: { component: 'scheduler' },
    ...extra,
  };
}
