// Executor on the real Docker Engine through dockerode.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { podDir } from '../pods/resolve';
import { PassThrough, Readable } from 'node:stream';
import Docker from 'dockerode';
import type { Container, Pod } from '../../common/api/types';
import { systemClock, type Clock } from '../../common/clock';
import { cpuToNanoCpus, cpuToShares, memoryToBytes } from './quantity';
import { containerSecurity, nonRootProblem, podSysctls, securityHostConfig, type ContainerSecurity } from './container-security';
import { mapBounded } from '../../common/concurrency';
import { nodeResolver, podDns, type DnsSettings } from '../network/pod-dns';
import {
  ContainerRuntimeError,
  ImagePullError,
  LABELS,
  SANDBOX_NAME,
  containerName,
  type ContainerInfo,
  type ContainerSpecResolved,
  type ContainerStats,
  type ExecHandle,
  type ExecOptions,
  type Executor,
  type LogOptions,
  type ManagedContainer,
  type PodNetworkPlacement,
  type PodNetworkProvider,
  type PullPolicy,
  type RegistryAuth,
  type RuntimeEvent,
  type RuntimeState,
} from './types';

export interface DockerExecutorOptions {
  /** Unix socket of the engine; default /var/run/docker.sock. */
  socketPath?: string;
  /** TCP engine instead of a socket, e.g. { host: '10.0.0.5', port: 2375 }. */
  host?: string;
  port?: number;
  /** Written to the kite.node label; listManaged() only returns this node's containers. */
  nodeName: string;
  /** Image for pod sandboxes; default: the image the worker passes (the pod's first container). */
  sandboxImage?: string;
  /** Root of the cgroup filesystem, for cheap stats. */
  cgroupRoot?: string;
  /** How long an image seen present is trusted without asking the engine again (default 30 s). */
  imagePresentTtlMs?: number;
  clock?: Clock;
  /** The node's pod network; without it pods own namespaces on the engine's default bridge. */
  podNetwork?: PodNetworkProvider;
  /** This node's address: the pod IP of hostNetwork pods. */
  hostAddress?: string;
  /**
   * The agent's data dir: each pod's resolv.conf is written in the pod's own dir there (removed
   * with it) and bind-mounted over /etc/resolv.conf, as the kubelet does, so pods ask the node's
   * DNS server directly (Docker would put its own resolver, 127.0.0.11, in front: one more hop per
   * lookup). Without it Docker's Dns settings are used.
   */
  dataDir?: string;
}

/** Network settings of a container owning its pod's network namespace. */
interface OwnNetwork {
  host: Pick<Docker.HostConfig, 'NetworkMode' | 'Dns' | 'DnsSearch' | 'DnsOptions'>;
  networking?: Docker.ContainerCreateOptions['NetworkingConfig'];
  labels: Record<string, string>;
  /** Whether hostPorts are published and the hostname set (not on the host's network). */
  isolated: boolean;
}

interface EngineError {
  statusCode?: number;
  json?: { message?: string } | null;
  message?: string;
}

/** The engine's own words for a failed API call. */
export function engineMessage(e: unknown): string {
  const err = e as EngineError;
  const fromJson = err?.json && typeof err.json === 'object' ? err.json.message : undefined;
  return (fromJson ?? err?.message ?? String(e)).trim();
}

const statusOf = (e: unknown) => (e as EngineError)?.statusCode;

function runtimeState(s: string | undefined): RuntimeState {
  switch (s) {
    case 'created':
      return 'created';
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    case 'exited':
    case 'dead':
      return 'exited';
    default:
      return 'unknown';
  }
}

/** Exposed ports and hostPort bindings for `containers`, in the engine's create-config shape. */
function portPublishing(containers: Container[]): { exposed: Record<string, object>; bindings: Record<string, { HostPort: string; HostIp?: string }[]> } {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostPort: string; HostIp?: string }[]> = {};
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      if (p.hostPort) (bindings[key] ??= []).push({ HostPort: String(p.hostPort), ...(p.hostIP ? { HostIp: p.hostIP } : {}) });
    }
  }
  return { exposed, bindings };
}

const podHostname = (pod: Pod) => (pod.spec.hostname ?? pod.metadata.name).slice(0, 63);

const ZERO_TIME = '0001-01-01T00:00:00Z';
const time = (t: string | undefined) => (!t || t === ZERO_TIME ? '' : t);

/** Splits Docker's multiplexed stream frames (8-byte header: stream, 0,0,0, size BE). */
function demuxBuffer(buf: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(out);
}

export class DockerExecutor implements Executor {
  readonly docker: Docker;
  private readonly nodeName: string;
  private readonly cgroupRoot: string;
  private readonly cgroupCache = new Map<string, { unified?: string; memory?: string; cpuacct?: string }>();
  private readonly pids = new Map<string, number>();
  private readonly clock: Clock;
  /**
   * IfNotPresent pulls of an image seen present recently skip the engine round-trip: a burst of
   * pods of one image would otherwise inspect it once per pod, on the start path. Only positive
   * results are cached; an image removed meanwhile shows up as the create's "No such image".
   */
  private readonly imageSeenUntil = new Map<string, number>();

  constructor(private readonly opts: DockerExecutorOptions) {
    this.docker = opts.host
      ? new Docker({ host: opts.host, port: opts.port ?? 2375 })
      : new Docker({ socketPath: opts.socketPath ?? '/var/run/docker.sock' });
    this.nodeName = opts.nodeName;
    this.cgroupRoot = opts.cgroupRoot ?? '/sys/fs/cgroup';
    this.clock = opts.clock ?? systemClock;
  }

  async version() {
    const v = await this.docker.version();
    return { name: 'docker', version: v.Version, apiVersion: v.ApiVersion };
  }

  private async imagePresent(image: string): Promise<boolean> {
    const now = this.clock.now();
    if ((this.imageSeenUntil.get(image) ?? 0) > now) return true;
    try {
      await this.docker.getImage(image).inspect();
      this.imageSeenUntil.set(image, now + (this.opts.imagePresentTtlMs ?? 30_000));
      return true;
    } catch (e) {
      if (statusOf(e) === 404) return false;
      throw e;
    }
  }

  async pullImage(image: string, policy: PullPolicy, auth: RegistryAuth | undefined, signal: AbortSignal): Promise<void> {
    if (policy !== 'Always' && (await this.imagePresent(image))) return;
    if (policy === 'Never') {
      throw new ImagePullError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
    }
    // A reference without a tag means :latest, as docker pull does.
    const ref = /:[^/]+$/.test(image) || image.includes('@') ? image : image + ':latest';
    try {
      const stream = await this.docker.pull(ref, { authconfig: auth, abortSignal: signal });
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (err: Error | null) => (err ? reject(err) : resolve()),
          // The engine reports some failures as a progress message, not an HTTP error.
          (ev: { error?: string; errorDetail?: { message?: string } }) => {
            if (ev.error) reject(new Error(ev.errorDetail?.message ?? ev.error));
          },
        );
      });
    } catch (e) {
      if (signal.aborted) throw e;
      throw new ImagePullError('ErrImagePull', `failed to pull image "${image}": ${engineMessage(e)}`);
    }
    this.imageSeenUntil.set(image, this.clock.now() + (this.opts.imagePresentTtlMs ?? 30_000));
  }

  private labelsFor(pod: Pod, container: string, attempt: number, restartCount: number): Record<string, string> {
    return {
      [LABELS.podUid]: pod.metadata.uid ?? '',
      [LABELS.podName]: pod.metadata.name,
      [LABELS.podNamespace]: pod.metadata.namespace ?? 'default',
      [LABELS.container]: container,
      [LABELS.node]: this.nodeName,
      [LABELS.attempt]: String(attempt),
      [LABELS.restartCount]: String(restartCount),
    };
  }

  /** Creates the container, or returns the one already carrying this name (idempotent). */
  private async createNamed(name: string, config: Docker.ContainerCreateOptions): Promise<string> {
    try {
      const c = await this.docker.createContainer({ ...config, name });
      return c.id;
    } catch (e) {
      if (statusOf(e) === 409) {
        const existing = await this.docker.getContainer(name).inspect();
        return existing.Id;
      }
      throw new ContainerRuntimeError('CreateContainerError', engineMessage(e));
    }
  }

  /**
   * Where a pod's own network namespace lives: the host's (hostNetwork), the pod network with the
   * pod's fixed address and the cluster DNS, or (no pod network) the engine's default bridge.
   */
  private async ownNetwork(pod: Pod): Promise<OwnNetwork> {
    const extraHosts = hostAliasEntries(pod);
    const hosts = extraHosts.length ? { ExtraHosts: extraHosts } : {};
    if (pod.spec.hostNetwork) return { host: { NetworkMode: 'host', ...hosts }, labels: {}, isolated: false };
    const placement = await this.opts.podNetwork?.placement(pod);
    const dns = await this.podDns(pod, placement);
    const resolver = dns ? { Dns: dns.servers, DnsSearch: dns.search, DnsOptions: dns.options } : {};
    if (!placement) return { host: { NetworkMode: 'bridge', ...resolver, ...hosts }, labels: {}, isolated: true };
    return {
      host: { NetworkMode: placement.network, ...resolver, ...hosts },
      networking: { EndpointsConfig: { [placement.network]: { IPAMConfig: { IPv4Address: placement.ip } } } },
      labels: { [LABELS.podIP]: placement.ip },
      isolated: true,
    };
  }

  /** The pod's resolver per its dnsPolicy/dnsConfig (pod-dns.ts); undefined keeps the engine's. */
  private async podDns(pod: Pod, placement?: PodNetworkPlacement): Promise<DnsSettings | undefined> {
    const cluster = pod.spec.hostNetwork ? this.opts.podNetwork?.clusterDns?.(pod.metadata.namespace ?? 'default') : placement?.dns;
    if (!pod.spec.hostNetwork && !placement && !pod.spec.dnsConfig && pod.spec.dnsPolicy !== 'None') return undefined;
    return podDns(pod, cluster, () => nodeResolver());
  }

  /** The bind that gives the pod's containers its resolv.conf (see resolvConfDir), or none. */
  private async resolvConfBind(pod: Pod): Promise<string[]> {
    if (!this.opts.dataDir || !this.opts.podNetwork) return [];
    const placement = pod.spec.hostNetwork ? undefined : await this.opts.podNetwork.placement(pod);
    if (!pod.spec.hostNetwork && !placement) return [];
    const dns = await this.podDns(pod, placement);
    if (!dns) return [];
    const dir = podDir(this.opts.dataDir, pod.metadata.uid ?? '');
    const file = join(dir, 'resolv.conf');
    await mkdir(dir, { recursive: true });
    await writeFile(file, resolvConf(dns));
    return [`${file}:/etc/resolv.conf:ro`];
  }

  async ensureSandbox(pod: Pod, image: string): Promise<string> {
    const net = await this.ownNetwork(pod);
    const { exposed, bindings } = net.isolated ? portPublishing(pod.spec.containers) : { exposed: undefined, bindings: undefined };
    const sysctls = podSysctls(pod, true);
    const id = await this.createNamed(containerName(pod, SANDBOX_NAME, 0), {
      Image: this.opts.sandboxImage ?? image,
      Entrypoint: ['sleep'],
      Cmd: ['2147483647'],
      ...(net.isolated ? { Hostname: podHostname(pod), ExposedPorts: exposed } : {}),
      Labels: { ...this.labelsFor(pod, SANDBOX_NAME, 0, 0), ...net.labels },
      // The sandbox only sleeps: it never needs to gain privileges.
      HostConfig: { Init: true, SecurityOpt: ['no-new-privileges'], ...(bindings ? { PortBindings: bindings } : {}), ...(sysctls ? { Sysctls: sysctls } : {}), ...net.host },
      ...(net.networking ? { NetworkingConfig: net.networking } : {}),
    });
    await this.start(id);
    return id;
  }

  async createContainer(pod: Pod, container: Container, resolved: ContainerSpecResolved): Promise<string> {
    const limits = container.resources?.limits ?? {};
    const requests = container.resources?.requests ?? {};
    const sec = containerSecurity(pod, container);
    await this.checkNonRoot(sec, container.image);
    // A container owning its network publishes the pod's hostPorts; one joining the sandbox
    // must not (the engine rejects port bindings with NetworkMode container:<id>).
    const own = resolved.network.mode === 'own';
    const net: OwnNetwork | undefined = resolved.network.mode === 'own' ? await this.ownNetwork(pod) : undefined;
    const { exposed, bindings } = net?.isolated ? portPublishing([container]) : { exposed: undefined, bindings: undefined };
    const sysctls = podSysctls(pod, own);
    const host: Docker.HostConfig = {
      Init: true, // so SIGTERM reaches processes that ignore it as PID 1 (busybox sleep)
      ...(resolved.network.mode === 'sandbox' ? { NetworkMode: `container:${resolved.network.sandboxId}` } : net!.host),
      ...(bindings ? { PortBindings: bindings } : {}),
      Binds: [
        ...resolved.mounts.map((m) => `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`),
        ...(await this.resolvConfBind(pod)),
      ],
      ...securityHostConfig(sec, sec.seccompLocalhost ? await this.localhostSeccompProfile(sec.seccompLocalhost) : undefined),
      ...(sysctls ? { Sysctls: sysctls } : {}),
    };
    try {
      if (limits.cpu !== undefined) host.NanoCpus = cpuToNanoCpus(limits.cpu);
      if (limits.memory !== undefined) host.Memory = memoryToBytes(limits.memory);
      const cpuRequest = requests.cpu ?? limits.cpu;
      if (cpuRequest !== undefined) host.CpuShares = cpuToShares(cpuRequest);
    } catch (e) {
      throw new ContainerRuntimeError('CreateContainerError', (e as Error).message);
    }
    const config: Docker.ContainerCreateOptions = {
      Image: container.image,
      Labels: { ...this.labelsFor(pod, container.name, resolved.attempt, resolved.attempt), ...net?.labels },
      Env: Object.entries(resolved.env).map(([k, v]) => `${k}=${v}`),
      Tty: container.tty ?? false,
      OpenStdin: container.stdin ?? false,
      HostConfig: host,
      ...(own && net?.isolated ? { Hostname: podHostname(pod), ExposedPorts: exposed } : {}),
      ...(net?.networking ? { NetworkingConfig: net.networking } : {}),
      ...(container.command ? { Entrypoint: container.command } : {}),
      ...(container.args ? { Cmd: container.args } : {}),
      ...(container.workingDir ? { WorkingDir: container.workingDir } : {}),
      ...(sec.user ? { User: sec.user } : {}),
    };
    return this.createNamed(containerName(pod, container.name, resolved.attempt), config);
  }

  /** A Localhost seccomp profile's JSON, from <data dir>/seccomp/<name> (the kubelet's <root>/seccomp). */
  private async localhostSeccompProfile(name: string): Promise<string> {
    if (!this.opts.dataDir) throw new ContainerRuntimeError('CreateContainerError', `seccomp profile "${name}": this agent has no data dir for Localhost profiles`);
    const file = join(this.opts.dataDir, 'seccomp', name);
    try {
      return JSON.stringify(JSON.parse(await readFile(file, 'utf8')));
    } catch (e) {
      throw new ContainerRuntimeError('CreateContainerError', `seccomp profile "${name}" (${file}): ${(e as Error).message}`);
    }
  }

  /**
   * Refuses to create a runAsNonRoot container that would run as root, as the kubelet does: the
   * container waits with CreateContainerConfigError (its config, not the engine, is at fault).
   */
  private async checkNonRoot(sec: ContainerSecurity, image: string): Promise<void> {
    if (!sec.runAsNonRoot) return;
    let imageUser: string | undefined;
    if (sec.uid === undefined) {
      try {
        imageUser = (await this.docker.getImage(image).inspect()).Config?.User;
      } catch (e) {
        throw new ContainerRuntimeError('CreateContainerError', `image "${image}": ${engineMessage(e)}`);
      }
    }
    const problem = nonRootProblem(sec, imageUser);
    if (problem) throw new ContainerRuntimeError('CreateContainerConfigError', problem);
  }

  async start(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (e) {
      if (statusOf(e) === 304) return; // already started
      throw new ContainerRuntimeError('RunContainerError', engineMessage(e));
    }
    this.opts.podNetwork?.containerStarted?.();
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.round(graceSeconds)) });
    } catch (e) {
      const s = statusOf(e);
      if (s === 304 || s === 404) return; // already stopped / gone
      throw e;
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (e) {
      const s = statusOf(e);
      if (s === 404) return;
      if (s === 409 && /already in progress/.test(engineMessage(e))) return;
      throw e;
    }
  }

  private toInfo(i: Docker.ContainerInspectInfo): ContainerInfo {
    const nets = i.NetworkSettings?.Networks ?? {};
    const hostNetwork = i.HostConfig?.NetworkMode === 'host';
    const ip = hostNetwork
      ? (this.opts.hostAddress ?? '')
      : (i.NetworkSettings as { IPAddress?: string })?.IPAddress || Object.values(nets).find((n) => n?.IPAddress)?.IPAddress || '';
    return {
      id: i.Id,
      name: i.Name.replace(/^\//, ''),
      image: i.Config.Image,
      imageId: i.Image,
      labels: i.Config.Labels ?? {},
      state: runtimeState(i.State.Status),
      exitCode: i.State.ExitCode,
      oomKilled: i.State.OOMKilled,
      error: i.State.Error ?? '',
      startedAt: time(i.State.StartedAt),
      finishedAt: time(i.State.FinishedAt),
      ip,
    };
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    try {
      return this.toInfo(await this.docker.getContainer(id).inspect());
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async listManaged(podUid?: string): Promise<ManagedContainer[]> {
    const list = await this.docker.listContainers({
      all: true,
      filters: { label: [podUid ? `${LABELS.podUid}=${podUid}` : LABELS.podUid, `${LABELS.node}=${this.nodeName}`] },
    });
    const infos = await mapBounded(list, 8, (c) => this.inspect(c.Id));
    const out: ManagedContainer[] = [];
    for (const info of infos) {
      if (!info) continue;
      const l = info.labels;
      out.push({
        ...info,
        podUid: l[LABELS.podUid] ?? '',
        podName: l[LABELS.podName] ?? '',
        podNamespace: l[LABELS.podNamespace] ?? '',
        containerName: l[LABELS.container] ?? '',
        attempt: Number(l[LABELS.attempt] ?? 0),
        restartCount: Number(l[LABELS.restartCount] ?? 0),
      });
    }
    return out;
  }

  async wait(id: string, signal: AbortSignal): Promise<number> {
    const r = (await this.docker.getContainer(id).wait({ abortSignal: signal } as object)) as { StatusCode: number };
    return r.StatusCode;
  }

  async events(onEvent: (e: RuntimeEvent) => void, signal: AbortSignal): Promise<void> {
    const stream = (await this.docker.getEvents({
      filters: { type: ['container'], event: ['start', 'die', 'oom', 'destroy'], label: [`${LABELS.node}=${this.nodeName}`] },
      abortSignal: signal,
    } as object)) as unknown as Readable;
    let buf = '';
    const onAbort = () => stream.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const chunk of stream) {
        buf += chunk.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          try {
            const ev = JSON.parse(line) as { id?: string; Action?: string; Actor?: { Attributes?: Record<string, string> } };
            const action = ev.Action as RuntimeEvent['action'];
            if (ev.id && ['start', 'die', 'oom', 'destroy'].includes(action)) {
              onEvent({ id: ev.id, podUid: ev.Actor?.Attributes?.[LABELS.podUid] ?? '', action });
            }
          } catch {
            // a partial or foreign line; the next poll catches whatever it described
          }
        }
      }
    } catch (e) {
      if (!signal.aborted) throw e;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Cgroup files first (cheap); the engine's one-shot stats only when they are not readable. */
  async stats(id: string): Promise<ContainerStats | undefined> {
    const fromCgroup = await this.cgroupStats(id);
    if (fromCgroup) return { ...fromCgroup, network: await this.networkBytes(id) };
    try {
      const s = (await this.docker.getContainer(id).stats({ stream: false, 'one-shot': true })) as Docker.ContainerStats;
      const mem = s.memory_stats as { usage?: number; stats?: Record<string, number> };
      const inactive = mem.stats?.total_inactive_file ?? mem.stats?.inactive_file ?? 0;
      return {
        cpuSeconds: (s.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e9,
        memoryWorkingSetBytes: Math.max(0, (mem.usage ?? 0) - inactive),
      };
    } catch {
      return undefined;
    }
  }

  /** The container's main process (one inspect per container, cached while it lives). */
  private async pidOf(id: string): Promise<number | undefined> {
    const cached = this.pids.get(id);
    if (cached) return cached;
    const pid = (await this.docker.getContainer(id).inspect().catch(() => undefined))?.State?.Pid;
    if (!pid) return undefined;
    this.pids.set(id, pid);
    if (this.pids.size > 2000) this.pids.delete(this.pids.keys().next().value as string);
    return pid;
  }

  /** Bytes through the container's network namespace, from the kernel's counters for it. */
  private async networkBytes(id: string): Promise<{ rxBytes: number; txBytes: number } | undefined> {
    const pid = await this.pidOf(id);
    const text = pid ? await readFile(`/proc/${pid}/net/dev`, 'utf8').catch(() => undefined) : undefined;
    if (!text) {
      this.pids.delete(id);
      return undefined;
    }
    let rxBytes = 0;
    let txBytes = 0;
    for (const line of text.split('\n').slice(2)) {
      const [iface, counters] = line.split(':');
      if (!counters || iface!.trim() === 'lo') continue;
      const f = counters.trim().split(/\s+/).map(Number);
      rxBytes += f[0] ?? 0;
      txBytes += f[8] ?? 0;
    }
    return { rxBytes, txBytes };
  }

  /** The container's cgroup paths, read from /proc/<pid>/cgroup of its main process. */
  private async cgroupDirs(id: string): Promise<{ unified?: string; memory?: string; cpuacct?: string } | undefined> {
    const cached = this.cgroupCache.get(id);
    if (cached) return cached;
    try {
      const pid = await this.pidOf(id);
      if (!pid) return undefined;
      const text = await readFile(`/proc/${pid}/cgroup`, 'utf8');
      const dirs: { unified?: string; memory?: string; cpuacct?: string } = {};
      for (const line of text.split('\n')) {
        const [, controllers = '', p = ''] = line.split(':');
        if (!p) continue;
        if (controllers === '') dirs.unified = p;
        const list = controllers.split(',');
        if (list.includes('memory')) dirs.memory = p;
        if (list.includes('cpuacct')) dirs.cpuacct = p;
      }
      this.cgroupCache.set(id, dirs);
      if (this.cgroupCache.size > 2000) this.cgroupCache.delete(this.cgroupCache.keys().next().value as string);
      return dirs;
    } catch {
      return undefined;
    }
  }

  private async cgroupStats(id: string): Promise<ContainerStats | undefined> {
    const root = this.cgroupRoot;
    const read = (p: string) => readFile(p, 'utf8').catch(() => undefined);
    const statValue = (text: string | undefined, key: string) => {
      const m = text ? new RegExp(`^${key} (\\d+)$`, 'm').exec(text) : null;
      return m ? Number(m[1]) : 0;
    };
    // cgroup v2 (systemd driver, then cgroupfs driver)
    for (const dir of [`${root}/system.slice/docker-${id}.scope`, `${root}/docker/${id}`]) {
      const current = await read(`${dir}/memory.current`);
      if (current === undefined) continue;
      const memStat = await read(`${dir}/memory.stat`);
      const cpuStat = await read(`${dir}/cpu.stat`);
      return {
        cpuSeconds: statValue(cpuStat, 'usage_usec') / 1e6,
        memoryWorkingSetBytes: Math.max(0, Number(current) - statValue(memStat, 'inactive_file')),
      };
    }
    // cgroup v1
    const v1 = async (memDir: string, cpuDir: string): Promise<ContainerStats | undefined> => {
      const usage = await read(`${memDir}/memory.usage_in_bytes`);
      if (usage === undefined) return undefined;
      const memStat = await read(`${memDir}/memory.stat`);
      const cpu = (await read(`${cpuDir}/cpuacct.usage`)) ?? '0';
      return { cpuSeconds: Number(cpu) / 1e9, memoryWorkingSetBytes: Math.max(0, Number(usage) - statValue(memStat, 'total_inactive_file')) };
    };
    for (const sub of [`docker/${id}`, `system.slice/docker-${id}.scope`]) {
      const found = await v1(`${root}/memory/${sub}`, `${root}/cpuacct/${sub}`);
      if (found) return found;
    }
    // An engine with its own --cgroup-parent puts containers elsewhere: ask the kernel where the
    // container's main process is (one inspect per container, cached), instead of falling back
    // to the engine's stats call, which takes about a second per container.
    const dirs = await this.cgroupDirs(id);
    if (!dirs) return undefined;
    if (dirs.unified) {
      const current = await read(`${root}${dirs.unified}/memory.current`);
      if (current !== undefined) {
        const memStat = await read(`${root}${dirs.unified}/memory.stat`);
        const cpuStat = await read(`${root}${dirs.unified}/cpu.stat`);
        return { cpuSeconds: statValue(cpuStat, 'usage_usec') / 1e6, memoryWorkingSetBytes: Math.max(0, Number(current) - statValue(memStat, 'inactive_file')) };
      }
    }
    if (dirs.memory && dirs.cpuacct) {
      const found = await v1(`${root}/memory${dirs.memory}`, `${root}/cpuacct${dirs.cpuacct}`);
      if (found) return found;
    }
    this.cgroupCache.delete(id);
    return undefined;
  }

  async logs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable> {
    const c = this.docker.getContainer(id);
    const info = await c.inspect();
    const tty = info.Config.Tty;
    const base = { stdout: true, stderr: true, timestamps: opts.timestamps, tail: opts.tail !== undefined && opts.tail >= 0 ? opts.tail : undefined };
    if (!opts.follow) {
      const buf = (await c.logs({ ...base, follow: false })) as unknown as Buffer;
      return Readable.from([tty ? buf : demuxBuffer(buf)]);
    }
    const raw = (await c.logs({ ...base, follow: true, abortSignal: signal } as object)) as unknown as Readable;
    if (tty) return raw;
    const out = new PassThrough();
    this.docker.modem.demuxStream(raw, out, out);
    raw.on('end', () => out.end());
    raw.on('error', (e) => out.destroy(e));
    out.on('close', () => raw.destroy());
    signal?.addEventListener('abort', () => out.end(), { once: true });
    return out;
  }

  async exec(id: string, command: string[], opts: ExecOptions): Promise<ExecHandle> {
    const c = this.docker.getContainer(id);
    const ex = await c.exec({
      Cmd: command,
      AttachStdin: opts.stdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: opts.tty,
      ...(opts.tty && opts.cols && opts.rows ? { ConsoleSize: [opts.rows, opts.cols] } : {}),
    } as Docker.ExecCreateOptions);
    const stream = (await ex.start({ hijack: true, stdin: opts.stdin, Tty: opts.tty })) as unknown as NodeJS.ReadWriteStream & Readable;
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (opts.tty) {
      // A TTY merges stderr into stdout: stderr must still end, or nobody waiting for both ends ever finishes.
      stream.pipe(stdout);
      stream.on('end', () => stderr.end());
    }
    else {
      this.docker.modem.demuxStream(stream as unknown as NodeJS.ReadableStream, stdout, stderr);
      stream.on('end', () => {
        stdout.end();
        stderr.end();
      });
    }
    stream.on('error', (e) => stdout.destroy(e));
    const stdin = new PassThrough();
    if (opts.stdin) {
      stdin.pipe(stream as unknown as NodeJS.WritableStream, { end: false });
      // Half-close so the process sees EOF on stdin but we still read its output.
      stdin.on('end', () => (stream as unknown as { end(): void }).end());
    }
    const ended = new Promise<void>((resolve) => {
      stream.once('end', () => resolve());
      stream.once('close', () => resolve());
      stream.once('error', () => resolve());
    });
    if (opts.tty && opts.cols && opts.rows) await ex.resize({ h: opts.rows, w: opts.cols }).catch(() => undefined);
    return {
      stdin,
      stdout,
      stderr,
      resize: async (cols, rows) => {
        await ex.resize({ h: rows, w: cols });
      },
      exitCode: async () => {
        await ended;
        for (let i = 0; i < 50; i++) {
          const s = await ex.inspect();
          if (!s.Running && s.ExitCode !== null && s.ExitCode !== undefined) return s.ExitCode;
          await new Promise((r) => setTimeout(r, 20));
        }
        return -1;
      },
    };
  }
}

/** A resolv.conf as the kubelet writes it for a pod on the cluster network. */
export function resolvConf(dns: DnsSettings): string {
  return [
    ...dns.servers.map((s) => `nameserver ${s}`),
    ...(dns.search.length ? [`search ${dns.search.join(' ')}`] : []),
    ...(dns.options.length ? [`options ${dns.options.join(' ')}`] : []),
    '',
  ].join('\n');
}

/** hostAliases as the engine's ExtraHosts ("name:ip"). */
export function hostAliasEntries(pod: Pod): string[] {
  return (pod.spec.hostAliases ?? []).flatMap((a) => (a.hostnames ?? []).map((h) => `${h}:${a.ip}`));
}
