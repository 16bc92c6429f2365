// `kite logs` and `kite exec` reach the pod's agent through the controller: the controller finds
// the pod's node and dials that agent's AgentStreams endpoint, then relays bytes both ways.
import type * as grpcTypes from '@grpc/grpc-js';
import type { Node, Pod } from '../../common/api/types';
import type { LogsRequest__Output } from '../../common/generated/kite/v1/LogsRequest';
import type { LogChunk } from '../../common/generated/kite/v1/LogChunk';
import type { ExecInput__Output } from '../../common/generated/kite/v1/ExecInput';
import type { ExecOutput, ExecOutput__Output } from '../../common/generated/kite/v1/ExecOutput';
import type { AgentExecInput } from '../../common/generated/kite/v1/AgentExecInput';
import type { AgentStreamsClient } from '../../common/generated/kite/v1/AgentStreams';
import { grpc, loadProto, failCall, fromServiceError, isTransportFailure } from '../../common/grpc';
import { dial } from '../../common/transport';
import { invalid, notFound, unavailable } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { ObjectStore } from '../store/types';
import type { PodStreams } from './server';

export class PodStreamProxy implements PodStreams {
  private readonly clients = new Map<string, AgentStreamsClient>();

  constructor(
    private readonly store: ObjectStore,
    private readonly log: Logger,
  ) {}

  /** The pod, its container name (defaulted when the pod has one) and a client for its agent. */
  private async target(namespace: string, podName: string, container: string) {
    const ns = namespace || 'default';
    const pod = await this.store.get<Pod>('Pod', ns, podName);
    if (!pod) throw notFound(`pods "${podName}" not found in namespace "${ns}"`);
    const names = pod.spec.containers.map((c) => c.name);
    let name = container;
    if (!name) {
      if (names.length > 1) throw invalid(`pod ${podName} has ${names.length} containers (${names.join(', ')}); choose one with -c`);
      name = names[0]!;
    } else if (!names.includes(name)) {
      throw invalid(`container ${name} is not valid for pod ${podName}; choose one of: ${names.join(', ')}`);
    }
    if (!pod.spec.nodeName) throw invalid(`pod ${podName} is not scheduled to a node yet`);
    const node = await this.store.get<Node>('Node', '', pod.spec.nodeName);
    const ip = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const port = node?.status?.daemonEndpoints?.streamPort;
    if (!ip || !port) throw unavailable(`node ${pod.spec.nodeName} has no reachable agent endpoint`);
    const addr = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
    let client = this.clients.get(addr);
    if (!client) {
      client = dial(addr, loadProto().kite.v1.AgentStreams);
      this.clients.set(addr, client);
    }
    return { pod, container: name, client, node: pod.spec.nodeName };
  }

  logs = (call: grpcTypes.ServerWritableStream<LogsRequest__Output, LogChunk>): void => {
    const req = call.request;
    this.target(req.namespace, req.pod, req.container).then(
      ({ pod, container, client }) => {
        const upstream = client.Logs({ pod_uid: pod.metadata.uid!, container, follow: req.follow, tail_lines: req.tail_lines, timestamps: req.timestamps, previous: req.previous });
        call.on('cancelled', () => upstream.cancel());
        upstream.on('data', (chunk: LogChunk) => {
          if (!call.write(chunk)) upstream.pause();
        });
        call.on('drain', () => upstream.resume());
        upstream.on('end', () => call.end());
        upstream.on('error', (e: grpcTypes.ServiceError) => {
          if (e.code === grpc.status.CANCELLED) return;
          failCall(call, agentError(e, pod.spec.nodeName!));
        });
      },
      (e: unknown) => failCall(call, e),
    );
  };

  exec = (call: grpcTypes.ServerDuplexStream<ExecInput__Output, ExecOutput>): void => {
    let upstream: ReturnType<AgentStreamsClient['Exec']> | undefined;
    const early: ExecInput__Output[] = [];
    // The client may half-close before the agent's stream exists; pass that on once it does.
    let clientEnded = false;
    const fail = (e: unknown) => failCall(call, e);
    call.once('data', (first: ExecInput__Output) => {
      if (first.input !== 'start' || !first.start) return fail(invalid('the first exec message must be a start'));
      const s = first.start;
      if (!s.command.length) return fail(invalid('exec needs a command'));
      this.target(s.namespace, s.pod, s.container).then(({ pod, container, client, node }) => {
        this.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, container, node, tty: s.tty }, 'exec');
        const up = client.Exec();
        upstream = up;
        up.write({ start: { pod_uid: pod.metadata.uid!, container, command: s.command, tty: s.tty, stdin: s.stdin, cols: s.cols, rows: s.rows } });
        for (const m of early.splice(0)) forward(up, m);
        if (clientEnded) up.end();
        up.on('data', (out: ExecOutput) => call.write(out));
        up.on('end', () => call.end());
        up.on('error', (e: grpcTypes.ServiceError) => failCall(call, agentError(e, node)));
      }, fail);
      call.on('data', (m: ExecInput__Output) => (upstream ? forward(upstream, m) : early.push(m)));
    });
    call.on('end', () => {
      clientEnded = true;
      upstream?.end();
    });
    call.on('cancelled', () => upstream?.cancel());
  };

  close(): void {
    for (const c of this.clients.values()) c.close();
  }
}

/** An error from the agent's side, named as such (not as the controller being unreachable). */
function agentError(e: grpcTypes.ServiceError, node: string) {
  if (e.code === grpc.status.UNAVAILABLE && isTransportFailure(e.details ?? '')) {
    return unavailable(`cannot reach the kite-agent of node ${node}: ${e.details}`);
  }
  return fromServiceError(e);
}

function forward(up: grpcTypes.ClientDuplexStream<AgentExecInput, ExecOutput__Output>, m: ExecInput__Output): void {
  if (m.input === 'stdin') up.write({ stdin: m.stdin });
  else if (m.input === 'resize') up.write({ resize: m.resize });
  else if (m.input === 'close_stdin') up.write({ close_stdin: true });
}
