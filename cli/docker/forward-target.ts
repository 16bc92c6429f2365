// What `kite port-forward` connects to, as kubectl resolves it: a pod directly; a deployment's
// first running pod; a service's ready endpoint pod, with the service port mapped to its
// targetPort (a named targetPort to the pod's container port of that name).
import type { Deployment, Endpoints, Pod, Service } from '../../common/api/types';
import { invalid } from '../../common/errors';

export interface PortPair {
  /** 0: pick a free port. */
  local: number;
  remote: number;
}

/** `8080:80`, `80` (same port locally), `:80` (any free local port). */
export function parsePortPair(spec: string): PortPair {
  const m = /^(?:(\d*):)?(\d+)$/.exec(spec);
  if (!m) throw invalid(`port ${spec}: must be [LOCAL:]REMOTE, e.g. 8080:80`);
  const remote = Number(m[2]);
  const local = m[1] === undefined ? remote : m[1] === '' ? 0 : Number(m[1]);
  if (remote < 1 || remote > 65535) throw invalid(`port ${spec}: remote port ${remote} is outside 1-65535`);
  if (local > 65535) throw invalid(`port ${spec}: local port ${local} is outside 0-65535`);
  return { local, remote };
}

export function describePodState(pod: Pod): string {
  return pod.metadata.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Pending');
}

export function requireRunning(pod: Pod): Pod {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) {
    throw invalid(`unable to forward port because pod ${pod.metadata.name} is not running. Current status=${describePodState(pod)}`);
  }
  return pod;
}

/** The pod of a deployment to forward to: a running one, ready ones first (as kubectl's choice). */
export function pickDeploymentPod(deployment: Deployment, pods: Pod[]): Pod {
  const running = pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
  const ready = running.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const pod = ready[0] ?? running[0];
  if (!pod) throw invalid(`unable to forward port because deployment ${deployment.metadata.name} has no running pod`);
  return pod;
}

/** The name of a ready pod behind the service (from its Endpoints). */
export function pickEndpointPod(service: Service, endpoints: Endpoints | undefined): string {
  for (const subset of endpoints?.subsets ?? []) {
    for (const a of subset.addresses ?? []) if (a.targetRef?.kind === 'Pod' && a.targetRef.name) return a.targetRef.name;
  }
  throw invalid(`unable to forward port because service ${service.metadata.name} has no ready endpoint pod`);
}

/** A service port (by number) → the pod port it sends to. */
export function serviceTargetPort(service: Service, port: number, pod: Pod): number {
  const sp = service.spec.ports?.find((p) => p.port === port);
  if (!sp) throw invalid(`service ${service.metadata.name} does not have a service port ${port}`);
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const named = pod.spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target);
  if (!named) throw invalid(`pod ${pod.metadata.name} has no container port named "${target}" (the targetPort of service ${service.metadata.name} port ${port})`);
  return named.containerPort;
}
