// FakeExecutor: a hollow-node runtime kept entirely in memory, for unit tests and scale tests.
// Containers "start" at once and run until told to exit (or exit at once if scripted so).
import { PassThrough, Readable } from 'node:stream';
import type { Container, Pod } from '../../common/api/types';
import { systemClock, type Clock } from '../../common/clock';
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
  type PodNetworkProvider,
  type LogOptions,
  type ManagedContainer,
  type PullPolicy,
  type RegistryAuth,
  type RuntimeEvent,
} from './types';

export interface FakeContainerRecord {
  info: ContainerInfo;
  env: Record<string, string>;
  spec?: Container;
  resolved?: ContainerSpecResolved;
  /** The pod's fixed address on the pod network, when one placed it. */
  podIP?: string;
  logs: string[];
  waiters: ((code: number) => void)[];
  stopCalls: number[];
}

/** Scripted behaviour for containers of one pod-spec container name. */
export interface FakeContainerScript {
  /** Exit with this code right after starting. */
  exitOnStart?: number;
  /** Fail start with this engine-style message. */
  startError?: string;
  /** Fail create with this engine-style message. */
  createError?: string;
}

export class FakeExecutor implements Executor {
  readonly containers = new Map<string, FakeContainerRecord>();
  /** Images considered present locally. */
  readonly images = new Set<string>();
  /** Images that fail to pull, with the message the fake engine gives. */
  readonly pullFailures = new Map<string, string>();
  readonly pulls: string[] = [];
  readonly scripts = new Map<string, FakeContainerScript>();
  /** exec handler: returns exit code and output for a command. */
  execHandler: (id: string, cmd: string[]) => { exitCode: number; output?: string } = () => ({ exitCode: 0 });
  /** When set, every call fails as if the engine were down. */
  down = false;
  /** Test hook: set to [] to record create/start/inspect calls in order ("create <name>", "start <id>", "inspect <id>"). */
  calls: string[] | undefined;
  /** Ids of containers (sandboxes included) that own their network namespace; they get an IP when started. */
  private readonly ownNetwork = new Set<string>();
  /** The node's pod network (IPs from the pod CIDR, no kernel changes); unset: a made-up 10.88.x.y per start. */
  podNetwork: PodNetworkProvider | undefined;
  private ipSeq = 0;
  private seq = 0;
  private listeners = new Set<(e: RuntimeEvent) => void>();

  constructor(
    private readonly nodeName = 'fake-node',
    private readonly clock: Clock = systemClock,
  ) {}

  private check(): void {
    if (this.down) throw new Error('Cannot connect to the fake Docker daemon. Is the fake docker daemon running?');
  }

  private emit(rec: FakeContainerRecord, action: RuntimeEvent['action']): void {
    const e = { id: rec.info.id, podUid: rec.info.labels[LABELS.podUid] ?? '', action };
    for (const l of this.listeners) l(e);
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  async version() {
    this.check();
    return { name: 'fake', version: '0.0.0-fake', apiVersion: '1.41' };
  }

  async pullImage(image: string, policy: PullPolicy, _auth: RegistryAuth | undefined, _signal: AbortSignal): Promise<void> {
    this.check();
    if (policy !== 'Always' && this.images.has(image)) return;
    if (policy === 'Never') throw new ImagePullError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
    this.pulls.push(image);
    const failure = this.pullFailures.get(image);
    if (failure !== undefined) throw new ImagePullError('ErrImagePull', `failed to pull image "${image}": ${failure}`);
    this.images.add(image);
  }

  private labels(pod: Pod, container: string, attempt: number): Record<string, string> {
    return {
      [LABELS.podUid]: pod.metadata.uid ?? '',
      [LABELS.podName]: pod.metadata.name,
      [LABELS.podNamespace]: pod.metadata.namespace ?? 'default',
      [LABELS.container]: container,
      [LABELS.node]: this.nodeName,
      [LABELS.attempt]: String(attempt),
      [LABELS.restartCount]: String(attempt),
    };
  }

  private createRecord(name: string, image: string, labels: Record<string, string>, extra: Partial<FakeContainerRecord>): string {
    for (const r of this.containers.values()) if (r.info.name === name) return r.info.id;
    const id = `fake${(++this.seq).toString(16).padStart(12, '0')}`;
    this.containers.set(id, {
      info: { id, name, image, imageId: 'sha256:fake-' + image, labels, state: 'created', exitCode: 0, oomKilled: false, error: '', startedAt: '', finishedAt: '', ip: '' },
      env: {},
      logs: [],
      waiters: [],
      stopCalls: [],
      ...extra,
    });
    return id;
  }

  async ensureSandbox(pod: Pod, image: string): Promise<string> {
    this.check();
    const name = containerName(pod, SANDBOX_NAME, 0);
    this.calls?.push(`create ${name}`);
    const placement = pod.spec.hostNetwork ? undefined : await this.podNetwork?.placement(pod);
    const labels = { ...this.labels(pod, SANDBOX_NAME, 0), ...(placement ? { [LABELS.podIP]: placement.ip } : {}) };
    const id = this.createRecord(name, image, labels, { podIP: placement?.ip });
    this.ownNetwork.add(id);
    await this.start(id);
    return id;
  }

  async createContainer(pod: Pod, container: Container, resolved: ContainerSpecResolved): Promise<string> {
    this.check();
    const script = this.scripts.get(container.name);
    if (script?.createError) throw new ContainerRuntimeError('CreateContainerError', script.createError);
    const name = containerName(pod, container.name, resolved.attempt);
    this.calls?.push(`create ${name}`);
    const own = resolved.network.mode === 'own';
    const placement = own && !pod.spec.hostNetwork ? await this.podNetwork?.placement(pod) : undefined;
    const labels = { ...this.labels(pod, container.name, resolved.attempt), ...(placement ? { [LABELS.podIP]: placement.ip } : {}) };
    const id = this.createRecord(name, container.image, labels, {
      env: resolved.env,
      spec: container,
      resolved,
      podIP: placement?.ip,
    });
    if (resolved.network.mode === 'own') this.ownNetwork.add(id);
    return id;
  }

  private nextIp(): string {
    const n = ++this.ipSeq;
    return `10.88.${(n >> 8) & 255}.${n & 255}`;
  }

  private record(id: string): FakeContainerRecord {
    const r = this.containers.get(id);
    if (!r) throw Object.assign(new Error(`No such container: ${id}`), { statusCode: 404 });
    return r;
  }

  async start(id: string): Promise<void> {
    this.check();
    this.calls?.push(`start ${id}`);
    const rec = this.record(id);
    if (rec.info.state === 'running') return;
    const script = this.scripts.get(rec.info.labels[LABELS.container] ?? '');
    if (script?.startError) {
      rec.info.error = script.startError;
      rec.info.exitCode = 127;
      throw new ContainerRuntimeError('RunContainerError', script.startError);
    }
    rec.info.state = 'running';
    rec.info.error = '';
    // Like the engine's bridge: a fresh address on every start, none while stopped.
    if (this.ownNetwork.has(id)) rec.info.ip = rec.podIP ?? this.nextIp();
    rec.info.startedAt = this.iso();
    rec.info.finishedAt = '';
    this.emit(rec, 'start');
    if (script?.exitOnStart !== undefined) this.exit(id, script.exitOnStart);
  }

  /** Test hook: the container's process exits with `code` (OOM kill when oom is set). */
  exit(id: string, code: number, oom = false): void {
    const rec = this.record(id);
    if (rec.info.state !== 'running') return;
    rec.info.state = 'exited';
    rec.info.exitCode = code;
    rec.info.oomKilled = oom;
    rec.info.finishedAt = this.iso();
    rec.info.ip = '';
    for (const w of rec.waiters.splice(0)) w(code);
    this.emit(rec, 'die');
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    this.check();
    const rec = this.containers.get(id);
    if (!rec) return;
    rec.stopCalls.push(graceSeconds);
    this.exit(id, 143);
  }

  async remove(id: string): Promise<void> {
    this.check();
    const rec = this.containers.get(id);
    if (!rec) return;
    this.exit(id, 137);
    this.containers.delete(id);
    this.ownNetwork.delete(id);
    this.emit(rec, 'destroy');
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    this.check();
    this.calls?.push(`inspect ${id}`);
    const r = this.containers.get(id);
    return r ? { ...r.info, labels: { ...r.info.labels } } : undefined;
  }

  async listManaged(podUid?: string): Promise<ManagedContainer[]> {
    this.check();
    return [...this.containers.values()]
      .filter((r) => r.info.labels[LABELS.node] === this.nodeName && r.info.labels[LABELS.podUid])
      .filter((r) => podUid === undefined || r.info.labels[LABELS.podUid] === podUid)
      .map((r) => ({
        ...r.info,
        podUid: r.info.labels[LABELS.podUid] ?? '',
        podName: r.info.labels[LABELS.podName] ?? '',
        podNamespace: r.info.labels[LABELS.podNamespace] ?? '',
        containerName: r.info.labels[LABELS.container] ?? '',
        attempt: Number(r.info.labels[LABELS.attempt] ?? 0),
        restartCount: Number(r.info.labels[LABELS.restartCount] ?? 0),
      }));
  }

  async wait(id: string, signal: AbortSignal): Promise<number> {
    this.check();
    const rec = this.record(id);
    if (rec.info.state === 'exited') return rec.info.exitCode;
    return new Promise((resolve, reject) => {
      rec.waiters.push(resolve);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  async events(onEvent: (e: RuntimeEvent) => void, signal: AbortSignal): Promise<void> {
    this.check();
    this.listeners.add(onEvent);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.listeners.delete(onEvent);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    this.check();
    const r = this.containers.get(id);
    if (!r || r.info.state !== 'running') return undefined;
    const secs = (this.clock.now() - Date.parse(r.info.startedAt)) / 1000;
    return { cpuSeconds: secs * 0.01, memoryWorkingSetBytes: 8 * 2 ** 20 };
  }

  async logs(id: string, opts: LogOptions, _signal?: AbortSignal): Promise<Readable> {
    this.check();
    const r = this.record(id);
    const lines = opts.tail !== undefined && opts.tail >= 0 ? r.logs.slice(-opts.tail) : r.logs;
    return Readable.from(lines.map((l) => l + '\n'));
  }

  async exec(id: string, command: string[], _opts: ExecOptions): Promise<ExecHandle> {
    this.check();
    const rec = this.record(id);
    if (rec.info.state !== 'running') throw Object.assign(new Error(`Container ${id} is not running`), { statusCode: 409 });
    const result = this.execHandler(id, command);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.end(result.output ?? '');
    stderr.end();
    return { stdin: new PassThrough(), stdout, stderr, resize: async () => {}, exitCode: async () => result.exitCode };
  }

  /** Test helper: ids of containers (sandbox excluded) for a pod-spec container name. */
  idsFor(podUid: string, container: string): string[] {
    return [...this.containers.values()]
      .filter((r) => r.info.labels[LABELS.podUid] === podUid && r.info.labels[LABELS.container] === container)
      .sort((a, b) => Number(a.info.labels[LABELS.attempt]) - Number(b.info.labels[LABELS.attempt]))
      .map((r) => r.info.id);
  }
}
