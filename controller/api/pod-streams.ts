// `kite logs`, `kite exec` and `kite port-forward` reach the pod's agent through the controller: the controller finds
// the pod's node, dials that agent's AgentStreams endpoint and relays bytes both ways. The API
// side is transport-neutral (async iterables and an AbortSignal); only the agent side is gRPC.
import type * as grpcTypes from '@grpc/grpc-js';
import type { Node, Pod } from '../../common/api/types';
import type { ExecOutput__Output } from '../../common/generated/kite/v1/ExecOutput';
import type { AgentExecInput } from '../../common/generated/kite/v1/AgentExecInput';
import type { AgentPortForwardInput } from '../../common/generated/kite/v1/AgentPortForwardInput';
import type { PortForwardOutput__Output } from '../../common/generated/kite/v1/PortForwardOutput';
import type { LogChunk__Output } from '../../common/generated/kite/v1/LogChunk';
import type { AgentStreamsClient } from '../../common/generated/kite/v1/AgentStreams';
import { grpc, loadProto, fromServiceError, isTransportFailure } from '../../common/grpc';
import { dial, type TransportSecurity } from '../../common/transport';
import { invalid, notFound, unavailable } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { ObjectStore } from '../store/types';

export interface LogsQuery {
  namespace?: string;
  pod: string;
  container?: string;
  follow?: boolean;
  /** Negative: all lines. */
  tailLines?: number;
  timestamps?: boolean;
  previous?: boolean;
}

export interface LogChunk {
  data: Buffer;
  stream: string;
}

export interface ExecStart {
  namespace?: string;
  pod: string;
  container?: string;
  command: string[];
  tty: boolean;
  stdin: boolean;
  cols?: number;
  rows?: number;
}

export type ExecInput = { stdin: Buffer } | { resize: { cols: number; rows: number } } | { closeStdin: true };
export type ExecOutput = { stdout: Buffer } | { stderr: Buffer } | { exitCode: number };

export interface PortForwardStart {
  namespace?: string;
  pod: string;
  port: number;
}

/** What the client sends on one forwarded connection: bytes, then (maybe) that it sends no more. */
export type PortForwardInput = { data: Buffer } | { closeWrite: true };

export interface PodStreams {
  logs(q: LogsQuery, signal: AbortSignal): AsyncIterable<LogChunk>;
  exec(start: ExecStart, input: AsyncIterable<ExecInput>, signal: AbortSignal): AsyncIterable<ExecOutput>;
  /** One TCP connection to the pod's port, through its agent: yields the pod's bytes until it closes. */
  portForward(start: PortForwardStart, input: AsyncIterable<PortForwardInput>, signal: AbortSignal): AsyncIterable<Buffer>;
}

export class PodStreamProxy implements PodStreams {
  private readonly clients = new Map<string, AgentStreamsClient>();

  constructor(
    private readonly store: ObjectStore,
    private readonly log: Logger,
    /** How to dial a node's agent: the controller's certificate, expecting the node's. */
    private readonly security: (node: string) => TransportSecurity,
  ) {}

  async *logs(q: LogsQuery, signal: AbortSignal): AsyncIterable<LogChunk> {
    const { pod, container, client, node } = await this.target(q.namespace, q.pod, q.container);
    const upstream = client.Logs({
      pod_uid: pod.metadata.uid!,
      container,
      follow: q.follow ?? false,
      tail_lines: q.tailLines ?? -1,
      timestamps: q.timestamps ?? false,
      previous: q.previous ?? false,
    });
    const cancel = () => upstream.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      for await (const chunk of upstream as AsyncIterable<LogChunk__Output>) yield { data: Buffer.from(chunk.data), stream: chunk.stream };
    } catch (e) {
      if (signal.aborted) return;
      throw agentError(e as grpcTypes.ServiceError, node);
    } finally {
      signal.removeEventListener('abort', cancel);
      upstream.cancel();
    }
  }

  async *exec(start: ExecStart, input: AsyncIterable<ExecInput>, signal: AbortSignal): AsyncIterable<ExecOutput> {
    const { pod, container, client, node } = await this.target(start.namespace, start.pod, start.container);
    this.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, container, node, tty: start.tty }, 'exec');
    const up = client.Exec();
    const cancel = () => up.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    up.write({
      start: { pod_uid: pod.metadata.uid!, container, command: start.command, tty: start.tty, stdin: start.stdin, cols: start.cols ?? 0, rows: start.rows ?? 0 },
    });
    // Client input flows to the agent while the agent's output flows back.
    void (async () => {
      try {
        for await (const m of input) up.write(toAgent(m));
        up.end();
      } catch {
        up.cancel();
      }
    })();
    try {
      for await (const out of up as AsyncIterable<ExecOutput__Output>) {
        if (out.output === 'stdout') yield { stdout: Buffer.from(out.stdout!) };
        else if (out.output === 'stderr') yield { stderr: Buffer.from(out.stderr!) };
        else if (out.output === 'exit_code') yield { exitCode: out.exit_code! };
      }
    } catch (e) {
      if (signal.aborted) return;
      throw agentError(e as grpcTypes.ServiceError, node);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  async *portForward(start: PortForwardStart, input: AsyncIterable<PortForwardInput>, signal: AbortSignal): AsyncIterable<Buffer> {
    const ns = start.namespace || 'default';
    const pod = await this.store.get<Pod>('Pod', ns, start.pod);
    if (!pod) throw notFound(`pods "${start.pod}" not found in namespace "${ns}"`);
    if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) {
      throw invalid(`unable to forward port because pod is not running. Current status=${pod.metadata.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Pending')}`);
    }
    const { client, node } = await this.agentOf(pod, start.pod);
    this.log.debug({ pod: `${ns}/${start.pod}`, port: start.port, node }, 'port-forward');
    const up = client.PortForward();
    const cancel = () => up.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    up.write({ start: { pod_uid: pod.metadata.uid!, port: start.port } });
    // Client bytes flow to the agent, waiting while its buffer is full (backpressure).
    void (async () => {
      try {
        for await (const m of input) {
          const msg: AgentPortForwardInput = 'data' in m ? { data: m.data } : { close_write: true };
          if (!up.write(msg)) await new Promise((resolve) => up.once('drain', resolve));
        }
        up.end();
      } catch {
        up.cancel();
      }
    })();
    try {
      for await (const out of up as AsyncIterable<PortForwardOutput__Output>) if (out.data.length) yield Buffer.from(out.data);
    } catch (e) {
      if (signal.aborted) return;
      throw agentError(e as grpcTypes.ServiceError, node);
    } finally {
      signal.removeEventListener('abort', cancel);
      up.cancel();
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }

  /** The pod, its container name (defaulted when the pod has one) and a client for its agent. */
  private async target(namespace: string | undefined, podName: string, container: string | undefined) {
    const ns = namespace || 'default';
    const pod = await this.store.get<Pod>('Pod', ns, podName);
    if (!pod) throw notFound(`pods "${podName}" not found in namespace "${ns}"`);
    const names = pod.spec.containers.map((c) => c.name);
    // Init containers and sidecars can be named with -c; the default is the one app container.
    const all = [...(pod.spec.initContainers ?? []).map((c) => c.name), ...names];
    let name = container ?? '';
    if (!name) {
      if (names.length > 1) throw invalid(`pod ${podName} has ${names.length} containers (${names.join(', ')}); choose one with -c`);
      name = names[0]!;
    } else if (!all.includes(name)) {
      throw invalid(`container ${name} is not valid for pod ${podName}; choose one of: ${all.join(', ')}`);
    }
    return { pod, container: name, ...(await this.agentOf(pod, podName)) };
  }

  /** A client for the agent of the pod's node. */
  private async agentOf(pod: Pod, podName: string): Promise<{ client: AgentStreamsClient; node: string }> {
    if (!pod.spec.nodeName) throw invalid(`pod ${podName} is not scheduled to a node yet`);
    const node = await this.store.get<Node>('Node', '', pod.spec.nodeName);
    const ip = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const port = node?.status?.daemonEndpoints?.streamPort;
    if (!ip || !port) throw unavailable(`node ${pod.spec.nodeName} has no reachable agent endpoint`);
    const addr = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
    // The agent's certificate must name this node: another node's agent at that address fails.
    const key = `${pod.spec.nodeName}@${addr}`;
    let client = this.clients.get(key);
    if (!client) {
      client = dial(addr, loadProto().kite.v1.AgentStreams, { security: this.security(pod.spec.nodeName) });
      this.clients.set(key, client);
    }
    return { client, node: pod.spec.nodeName };
  }
}

/** An error from the agent's side, named as such (not as the controller being unreachable). */
function agentError(e: grpcTypes.ServiceError, node: string) {
  if (e.code === grpc.status.UNAVAILABLE && isTransportFailure(e.details ?? '')) {
    return unavailable(`cannot reach the kite-agent of node ${node}: ${e.details}`);
  }
  return fromServiceError(e);
}

function toAgent(m: ExecInput): AgentExecInput {
  if ('stdin' in m) return { stdin: m.stdin };
  if ('resize' in m) return { resize: m.resize };
  return { close_stdin: true };
}
