// The container runtime seen by the pod workers (Nomad/swarmkit style). Every step is idempotent:
// "already exists / started / stopped / removed" counts as success, so workers can retry blindly.
import type { Readable, Writable } from 'node:stream';
import type { Container, Pod } from '../../common/api/types';
import type { DnsSettings } from '../network/pod-dns';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** Registry credentials for one image, as the engine API wants them. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress: string;
}

/** Thrown by pullImage: `reason` is the Kubernetes waiting reason; message carries the engine's words. */
export class ImagePullError extends Error {
  constructor(
    readonly reason: 'ErrImagePull' | 'ErrImageNeverPull',
    message: string,
  ) {
    super(message);
    this.name = 'ImagePullError';
  }
}

/**
 * A failed container create/start: `reason` is CreateContainerError, CreateContainerConfigError
 * (the container's settings forbid it, e.g. runAsNonRoot on a root image) or RunContainerError.
 */
export class ContainerRuntimeError extends Error {
  constructor(
    readonly reason: 'CreateContainerError' | 'CreateContainerConfigError' | 'RunContainerError',
    message: string,
  ) {
    super(message);
    this.name = 'ContainerRuntimeError';
  }
}

/** A bind mount prepared by the pod worker (volume dirs live under the agent's data dir). */
export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

/** What the worker resolved for one container before asking the runtime to create it. */
export interface ContainerSpecResolved {
  env: Record<string, string>;
  mounts: Mount[];
  /** Kite's restart counter for this container; part of the name and a label. */
  attempt: number;
  network: ContainerNetwork;
}

/**
 * Where a container's network namespace comes from. Multi-container pods share the sandbox's
 * (so their containers reach each other on localhost); a single-container pod's container owns
 * its namespace on the bridge and publishes the pod's hostPorts itself, saving a second
 * container create+start per pod.
 */
export type ContainerNetwork = { mode: 'sandbox'; sandboxId: string } | { mode: 'own' };

export type RuntimeState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  state: RuntimeState;
  exitCode: number;
  oomKilled: boolean;
  /** The engine's error text for a failed start, if any. */
  error: string;
  startedAt: string;
  finishedAt: string;
  /** IP on the engine's bridge, for containers owning their network (sandboxes, single-container pods). */
  ip: string;
}

/** A container found by its Kite labels; used for adoption after an agent restart. */
export interface ManagedContainer extends ContainerInfo {
  podUid: string;
  podName: string;
  podNamespace: string;
  /** Container name in the pod spec; SANDBOX_NAME for the sandbox. */
  containerName: string;
  attempt: number;
  restartCount: number;
}

export const SANDBOX_NAME = '_sandbox';

/** Where a pod owning its network namespace joins the node's pod network, and its DNS settings. */
export interface PodNetworkPlacement {
  /** The engine's network to attach to (Docker network name). */
  network: string;
  /** The pod's address for its whole life. */
  ip: string;
  dns: DnsSettings;
}

/** The node's pod network as the runtime sees it (node-agent/network/pod-network.ts). */
export interface PodNetworkProvider {
  /**
   * The pod's placement, waiting while the network is being set up. Undefined when the cluster
   * gives this node no pod network (the engine's default bridge then). Throws
   * ContainerRuntimeError when the network cannot be used.
   */
  placement(pod: Pod): Promise<PodNetworkPlacement | undefined>;
  /** A container joined the pod network: its bridge port needs hairpin mode. */
  containerStarted?(): void;
  /** The cluster DNS for a namespace (for host-network pods with dnsPolicy ClusterFirstWithHostNet). */
  clusterDns?(namespace: string): DnsSettings | undefined;
}

/** The one place deciding a pod's network shape: only pods with several containers (init containers count) need a sandbox. */
export function needsSandbox(pod: Pod): boolean {
  return pod.spec.containers.length + (pod.spec.initContainers?.length ?? 0) > 1;
}

export const LABELS = {
  podUid: 'kite.pod.uid',
  podName: 'kite.pod.name',
  podNamespace: 'kite.pod.namespace',
  container: 'kite.container.name',
  node: 'kite.node',
  attempt: 'kite.container.attempt',
  restartCount: 'kite.container.restartCount',
  /** The pod's address on the pod network, on containers owning the pod's network namespace. */
  podIP: 'kite.pod.ip',
} as const;

export interface ContainerStats {
  /** Cumulative CPU time, seconds. */
  cpuSeconds: number;
  /** Working set (usage minus inactive file cache), bytes. */
  memoryWorkingSetBytes: number;
  /** Cumulative bytes through the container's network namespace, when the runtime can tell. */
  network?: { rxBytes: number; txBytes: number };
}

export interface LogOptions {
  follow: boolean;
  /** Lines from the end; undefined or negative for all. */
  tail?: number;
  timestamps: boolean;
}

export interface ExecOptions {
  tty: boolean;
  stdin: boolean;
  cols?: number;
  rows?: number;
}

export interface ExecHandle {
  stdin: Writable;
  stdout: Readable;
  /** With tty, everything arrives on stdout and stderr stays empty. */
  stderr: Readable;
  resize(cols: number, rows: number): Promise<void>;
  exitCode(): Promise<number>;
}

/** A container-level event: the runtime saw a container die (or start) and the worker should look. */
export interface RuntimeEvent {
  id: string;
  podUid: string;
  action: 'start' | 'die' | 'oom' | 'destroy';
}

export interface Executor {
  version(): Promise<{ name: string; version: string; apiVersion: string }>;
  /** Makes `image` available per policy; throws ImagePullError with the engine's reason. */
  pullImage(image: string, policy: PullPolicy, auth: RegistryAuth | undefined, signal: AbortSignal): Promise<void>;
  /** Multi-container pods: the network namespace holder (publishes every hostPort of the pod); returns its id. */
  ensureSandbox(pod: Pod, image: string): Promise<string>;
  /** Creates (or finds the existing) container for this attempt; returns its id. */
  createContainer(pod: Pod, container: Container, resolved: ContainerSpecResolved): Promise<string>;
  start(id: string): Promise<void>;
  stop(id: string, graceSeconds: number): Promise<void>;
  remove(id: string): Promise<void>;
  /** Undefined when the container does not exist. */
  inspect(id: string): Promise<ContainerInfo | undefined>;
  /** This node's Kite containers; only one pod's when podUid is given (filtered by the engine). */
  listManaged(podUid?: string): Promise<ManagedContainer[]>;
  /** Resolves with the exit code once the container stops. */
  wait(id: string, signal: AbortSignal): Promise<number>;
  /** Streams container events until the signal aborts; returns when the stream ends (caller re-subscribes). */
  events(onEvent: (e: RuntimeEvent) => void, signal: AbortSignal): Promise<void>;
  stats(id: string): Promise<ContainerStats | undefined>;
  logs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable>;
  exec(id: string, command: string[], opts: ExecOptions): Promise<ExecHandle>;
}

/** `kite_<ns>_<pod>_<container>_<uid8>_<attempt>`, sanitised to Docker's name alphabet. */
export function containerName(pod: Pod, container: string, attempt: number): string {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, '-');
  const uid8 = (pod.metadata.uid ?? '').replace(/-/g, '').slice(0, 8);
  return ['kite', clean(pod.metadata.namespace ?? 'default'), clean(pod.metadata.name), clean(container), uid8, String(attempt)].join('_');
}
