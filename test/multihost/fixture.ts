// One multi-host cluster for a test file: etcd on loopback, one or two controllers on the bridge
// address, and N test hosts (netns + own dockerd + own kite-agent). Helpers read the cluster the way
// a user would (API, CLI) and the hosts' engines directly (the ground truth of what runs where).
import * as path from 'node:path';
import type { Deployment, Node, Pod } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { createHosts, processAlive, startHostController, type HostController, type TestHost, type TestHosts } from '../harness/hosts';
import { freePort } from '../harness/ports';
import { eventually, kite, type CliResult } from '../harness/processes';
import { requireCommand } from '../harness/require';

export const NS = 'default';

/** One Kite container as the host's engine lists it (the ground truth, read from its labels). */
export interface EngineContainer {
  id: string;
  podUid: string;
  /** Pod-spec container name, or '_sandbox'. */
  container: string;
  attempt: number;
  restartCount: number;
  state: string;
}

export interface ClusterOpts {
  hosts: number;
  controllers: 1 | 2;
  nodeGraceSeconds: number;
  heartbeatMs: number;
  leaderTtlSeconds?: number;
  /** Extra environment for every agent (e.g. KITE_FORCE_VXLAN). */
  agentEnv?: Record<string, string>;
}

export interface MultiHostCluster {
  etcd: EtcdHandle;
  hosts: TestHosts;
  controllers: HostController[];
  /** A client of a controller that is still alive (tests that kill one switch to the other). */
  client(): KiteClient;
  server(): string;
  cli(args: string[], stdin?: string): Promise<CliResult>;
  host(nodeName: string): TestHost;
  pods(selector?: string): Promise<Pod[]>;
  deployment(name: string): Promise<Deployment>;
  node(name: string): Promise<Node>;
  /** Running Kite pod containers (not sandboxes) on a host's own engine, by pod uid. */
  runningOn(h: TestHost): Promise<Map<string, string[]>>;
  /** Every Kite container on a host's own engine, whatever its state, sandboxes included. */
  kiteContainersOn(h: TestHost): Promise<EngineContainer[]>;
  teardown(): Promise<void>;
}

/** Checks the commands the hosts need; skips (or fails under CI) without them. */
export function requireHostTools(ctx: Mocha.Context): void {
  requireCommand(ctx, 'etcd', 'etcd');
  requireCommand(ctx, 'ip', 'iproute2 (ip)');
  requireCommand(ctx, 'dockerd', 'Docker Engine (dockerd)');
  requireCommand(ctx, 'nsenter', 'util-linux (nsenter)');
  requireCommand(ctx, 'iptables', 'iptables');
  requireCommand(ctx, 'curl', 'curl');
  if (process.getuid?.() !== 0) {
    if (process.env.CI === 'true') throw new Error('multi-host tests need root (network namespaces)');
    ctx.skip();
  }
}

export async function startCluster(o: ClusterOpts): Promise<MultiHostCluster> {
  const etcd = await startEtcd();
  let hosts: TestHosts | undefined;
  const controllers: HostController[] = [];
  try {
    hosts = await createHosts(o.hosts, { agentEnv: o.agentEnv });
    for (let i = 0; i < o.controllers; i++) {
      const c = await startHostController({
        etcd: etcd.endpoint,
        host: hosts.bridgeIp,
        port: await freePort(hosts.bridgeIp),
        httpPort: await freePort(hosts.bridgeIp),
        id: `ctl-${i}`,
        nodeGraceSeconds: o.nodeGraceSeconds,
        heartbeatMs: o.heartbeatMs,
        leaderTtlSeconds: o.leaderTtlSeconds,
        logFile: path.join(hosts.state.dir, `controller-${i}.log`),
      });
      controllers.push(c);
      hosts.track(c.pid);
    }
    // Agents dial every controller (gRPC pick_first over the list): losing one moves them to the next.
    const target = controllers.length === 1 ? controllers[0]!.target : `ipv4:${controllers.map((c) => c.target).join(',')}`;
    hosts.startAgents(target);
  } catch (e) {
    hosts?.teardown();
    await etcd.stop();
    throw e;
  }
  const h = hosts;
  const dead = new Set<HostController>();
  const live = () => {
    const c = controllers.find((x) => !dead.has(x) && processAlive(x.pid));
    if (!c) throw new Error('no controller alive');
    return c;
  };
  const cluster: MultiHostCluster = {
    etcd,
    hosts: h,
    controllers,
    client: () => live().client,
    server: () => live().target,
    cli: (args, stdin) => kite(live().target, args, stdin),
    host(nodeName) {
      const found = h.hosts.find((x) => x.name === nodeName);
      if (!found) throw new Error(`no test host named ${nodeName}`);
      return found;
    },
    async pods(selector) {
      // The pods their owners count: Terminating ones (deleted, containers still stopping) are not replicas.
      const { items } = await live().client.list<Pod>('Pod', { namespace: NS, labelSelector: selector });
      return items.filter((p) => !p.metadata.deletionTimestamp);
    },
    deployment: (name) => live().client.get<Deployment>('Deployment', name, NS),
    node: (name) => live().client.get<Node>('Node', name),
    async runningOn(host) {
      const list = await host.docker.listContainers({ filters: { label: ['kite.pod.uid'] } });
      const out = new Map<string, string[]>();
      for (const c of list) {
        if (c.Labels['kite.container.name'] === '_sandbox') continue;
        const uid = c.Labels['kite.pod.uid']!;
        out.set(uid, [...(out.get(uid) ?? []), c.Id]);
      }
      return out;
    },
    async kiteContainersOn(host) {
      const list = await host.docker.listContainers({ all: true, filters: { label: ['kite.pod.uid'] } });
      return list.map((c) => ({
        id: c.Id,
        podUid: c.Labels['kite.pod.uid'] ?? '',
        container: c.Labels['kite.container.name'] ?? '',
        attempt: Number(c.Labels['kite.container.attempt'] ?? 0),
        restartCount: Number(c.Labels['kite.container.restartCount'] ?? 0),
        state: c.State,
      }));
    },
    async teardown() {
      for (const c of controllers) await c.kill();
      h.teardown();
      await etcd.stop();
    },
  };
  return cluster;
}


export const podReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
export const nodeReady = (n: Node) => isNodeReady(n);

/** A Deployment of busybox httpd with a readiness probe; short grace so rollouts move quickly. */
export function webDeployment(name: string, replicas: number, version = 'v1', extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'web',
              image: 'kite-test/busybox:1',
              command: ['sh', '-c', `echo ${version} > /www/version; exec httpd -f -p 80 -h /www`],
              env: [{ name: 'VERSION', value: version }],
              readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 },
            },
          ],
        },
      },
      ...extra,
    },
  } as Deployment;
}

/**
 * Waits until a Deployment has `replicas` available pods of its latest template: its status says
 * so, and the pods themselves agree (status is written a moment after the pods change, so a
 * status read just after an eviction can still count the evicted pods).
 */
export function fullyAvailable(c: MultiHostCluster, name: string, replicas: number, timeoutMs: number): Promise<Deployment> {
  return eventually(
    async () => {
      const d = await c.deployment(name);
      const s = d.status;
      if (!(s && s.observedGeneration === d.metadata.generation && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas)) return undefined;
      const ready = (await c.pods(`app=${name}`)).filter(podReady);
      return ready.length === replicas ? d : undefined;
    },
    timeoutMs,
    `deployment ${name} at ${replicas} available`,
  );
}

export { eventually };
