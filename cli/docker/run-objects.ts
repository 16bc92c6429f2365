// The objects `kite run` makes from its flags, as `docker run` users expect them: a Deployment
// NAME (labels app=NAME) and, with -p HOST:CONTAINER, a LoadBalancer Service NAME publishing HOST on
// every node; or, with --rm / -i / --restart Never, a single Pod. Pure: validated up front, so a
// bad flag creates nothing.
import type { Container, Deployment, EnvVar, Pod, Service } from '../../common/api/types';
import { invalid } from '../../common/errors';

export interface RunFlags {
  image?: string;
  port?: string[];
  env?: string[];
  replicas?: string;
  labels?: string[];
  command?: boolean;
  rm?: boolean;
  stdin?: boolean;
  tty?: boolean;
  restart?: string;
}

export interface PublishedPort {
  hostPort: number;
  containerPort: number;
}

export type RunPlan =
  | { mode: 'deployment'; deployment: Deployment; service?: Service }
  | { mode: 'pod'; pod: Pod; /** The command to run through exec, for -i: see interactivePod. */ attach?: string[]; rm: boolean };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * There is no attach to a container's main process in Kite (the agent can exec, not attach), so an
 * interactive pod's main process only waits; the user's command runs through exec with the TTY,
 * and its exit code is the exec's. The wait ends at once on TERM so deleting the pod is quick.
 */
export const KEEPALIVE_COMMAND = ['sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"];

export function parsePort(spec: string): PublishedPort {
  const m = /^(?:(\d+):)?(\d+)(?:\/tcp)?$/i.exec(spec);
  if (!m) throw invalid(`-p ${spec}: must be HOST:CONTAINER or CONTAINER (TCP ports), e.g. -p 8080:80`);
  const containerPort = Number(m[2]);
  const hostPort = m[1] === undefined ? containerPort : Number(m[1]);
  for (const p of [hostPort, containerPort]) if (p < 1 || p > 65535) throw invalid(`-p ${spec}: port ${p} is outside 1-65535`);
  return { hostPort, containerPort };
}

export function parseEnv(spec: string): EnvVar {
  const i = spec.indexOf('=');
  const name = i < 0 ? spec : spec.slice(0, i);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw invalid(`-e ${spec}: "${name}" is not a valid environment variable name`);
  // docker run -e NAME (no value) passes the caller's own value, as here.
  const value = i < 0 ? process.env[name] ?? '' : spec.slice(i + 1);
  return { name, value };
}

export function parseLabels(specs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const s of specs.flatMap((x) => x.split(','))) {
    const m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)=([-A-Za-z0-9_.]*)$/.exec(s);
    if (!m) throw invalid(`-l ${s}: must be key=value`);
    labels[m[1]!] = m[2]!;
  }
  return labels;
}

export function buildRunPlan(name: string, namespace: string, flags: RunFlags, args: string[]): RunPlan {
  if (!DNS_LABEL.test(name) || name.length > 63) throw invalid(`"${name}" is not a valid name: lowercase letters, digits and '-', starting and ending with a letter or digit`);
  if (!flags.image) throw invalid('kite run needs --image IMAGE');
  const restart = flags.restart ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw invalid(`--restart ${restart}: must be Always, OnFailure or Never`);
  if (flags.rm && !flags.stdin) throw invalid('--rm should only be used for attached containers: add -i (and -t for a terminal)');
  if (flags.tty && !flags.stdin) throw invalid('-t needs -i: a terminal without input cannot be used');
  const ports = (flags.port ?? []).map(parsePort);
  const env = (flags.env ?? []).map(parseEnv);
  const labels = { app: name, ...parseLabels(flags.labels ?? []) };
  const container: Container = { name, image: flags.image };
  if (args.length) {
    if (flags.command) container.command = args;
    else container.args = args;
  }
  if (env.length) container.env = env;
  if (ports.length) container.ports = [...new Map(ports.map((p) => [p.containerPort, { containerPort: p.containerPort, protocol: 'TCP' as const }])).values()];

  const podMode = !!flags.stdin || !!flags.rm || restart !== 'Always';
  if (podMode) {
    if (flags.replicas !== undefined) throw invalid('--replicas is for deployments; a pod run with --rm, -i or --restart Never is one pod');
    if (ports.length) throw invalid('-p publishes a deployment through a Service; a pod run with --rm, -i or --restart Never cannot publish ports (use kite expose or kite port-forward)');
    let attach: string[] | undefined;
    if (flags.stdin) {
      attach = args.length ? args : ['sh'];
      delete container.args;
      container.command = KEEPALIVE_COMMAND;
      container.stdin = true;
      container.tty = !!flags.tty;
    }
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: { run: name, ...parseLabels(flags.labels ?? []) } },
      spec: { containers: [container], restartPolicy: flags.stdin ? 'Never' : (restart as 'OnFailure' | 'Never') },
    };
    // The keepalive stops at once on TERM: no reason to wait the default 30 s for it.
    if (flags.stdin) pod.spec.terminationGracePeriodSeconds = 1;
    return { mode: 'pod', pod, attach, rm: !!flags.rm };
  }

  const replicas = flags.replicas === undefined ? 1 : Number(flags.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) throw invalid(`--replicas ${flags.replicas}: must be a non-negative integer`);
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } },
  };
  if (!ports.length) return { mode: 'deployment', deployment };
  const hostPorts = new Set<number>();
  for (const p of ports) {
    if (hostPorts.has(p.hostPort)) throw invalid(`-p: host port ${p.hostPort} is published twice`);
    hostPorts.add(p.hostPort);
  }
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: {
      type: 'LoadBalancer',
      selector: labels,
      ports: ports.map((p) => ({ name: `tcp-${p.hostPort}`, protocol: 'TCP', port: p.hostPort, targetPort: p.containerPort })),
    },
  };
  return { mode: 'deployment', deployment, service };
}
