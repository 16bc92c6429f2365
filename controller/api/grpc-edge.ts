// The gRPC edge of the API (kite.v1.Kite): decodes requests, calls the transport-neutral
// ApiService, encodes answers. Kite errors become gRPC status codes here and nowhere else.
import type * as grpcTypes from '@grpc/grpc-js';
import type { KiteHandlers } from '../../common/generated/kite/v1/Kite';
import type { ExecInput__Output } from '../../common/generated/kite/v1/ExecInput';
import type { ExecOutput } from '../../common/generated/kite/v1/ExecOutput';
import { invalid, isKiteError, errorMessage } from '../../common/errors';
import { toServiceError, failCall } from '../../common/grpc';
import type { Logger } from '../../common/log';
import type { ApiMetrics } from '../metrics';
import type { ApiService } from './service';
import type { ExecInput, ExecOutput as DomainExecOutput } from './pod-streams';

export function createGrpcHandlers(api: ApiService, log: Logger, metrics?: ApiMetrics): KiteHandlers {
  /** Wraps a unary handler: typed errors become gRPC statuses; requests are counted and timed. */
  function unary<Req, Res>(method: string, fn: (req: Req) => Promise<Res>): grpcTypes.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const end = metrics?.startRequest(method);
      fn(call.request).then(
        (res) => {
          end?.('OK');
          callback(null, res);
        },
        (e: unknown) => {
          end?.(isKiteError(e) ? e.code : 'Internal');
          if (!isKiteError(e)) log.error({ err: e, method }, 'request failed');
          callback(toServiceError(e) as grpcTypes.ServiceError);
        },
      );
    };
  }

  /** Runs a server-streaming handler until it ends, the client goes away, or it fails. */
  function streaming(call: grpcTypes.ServerWritableStream<unknown, unknown> | grpcTypes.ServerDuplexStream<unknown, unknown>, run: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    call.on('cancelled', () => controller.abort());
    call.on('close', () => controller.abort());
    run(controller.signal).then(
      () => call.end(),
      (e: unknown) => {
        if (!controller.signal.aborted) failCall(call, e);
      },
    );
  }

  return {
    Apply: unary('Apply', async (req) => {
      const { outcomes, warnings } = await api.apply(decodeAll(req.objects_json ?? []), { dryRun: req.dry_run ?? false });
      return {
        warnings,
        results: outcomes.map((o) => ({
          kind: o.object.kind,
          namespace: o.object.metadata.namespace ?? '',
          name: o.object.metadata.name,
          action: o.action,
          resource_version: o.object.metadata.resourceVersion ?? '',
        })),
      };
    }),

    Update: unary('Update', async (req) => {
      const { object, warnings } = await api.update(decode(req.object_json ?? '', 'object'));
      return { object_json: JSON.stringify(object), warnings };
    }),

    UpdateStatus: unary('UpdateStatus', async (req) => {
      const object = await api.updateStatus(decode(req.object_json ?? '', 'object'));
      return { object_json: JSON.stringify(object), warnings: [] };
    }),

    Get: unary('Get', async (req) => ({ object_json: JSON.stringify(await api.get(req.kind ?? '', req.namespace, req.name ?? '')), warnings: [] })),

    List: unary('List', async (req) => {
      const res = await api.list(req.kind ?? '', {
        namespace: req.namespace,
        allNamespaces: req.all_namespaces,
        labelSelector: req.label_selector,
        fieldSelector: req.field_selector,
      });
      return { items_json: res.items.map((o) => JSON.stringify(o)), resource_version: res.resourceVersion };
    }),

    Delete: unary('Delete', async (req) => {
      const grace = req.grace_period_seconds ?? -1;
      const { object } = await api.delete({
        kind: req.ref?.kind ?? '',
        namespace: req.ref?.namespace,
        name: req.ref?.name ?? '',
        resourceVersion: req.resource_version || undefined,
        gracePeriodSeconds: grace >= 0 ? grace : undefined,
      });
      return { object_json: JSON.stringify(object), warnings: [] };
    }),

    Watch: (call) => {
      const req = call.request;
      streaming(call, async (signal) => {
        const events = api.watch(
          req.kind ?? '',
          { namespace: req.namespace, allNamespaces: req.all_namespaces, labelSelector: req.label_selector, fieldSelector: req.field_selector, resourceVersion: req.resource_version },
          signal,
        );
        for await (const ev of events) {
          const object_json = 'object' in ev ? JSON.stringify(ev.object) : '';
          await write(call, { type: ev.type, object_json, resource_version: ev.resourceVersion });
        }
      });
    },

    Version: unary('Version', async () => {
      const v = await api.version();
      return { version: v.version, controller_id: v.controllerId, leader_id: v.leaderId, is_leader: v.isLeader, components: v.components };
    }),

    Logs: (call) => {
      const req = call.request;
      streaming(call, async (signal) => {
        const q = { namespace: req.namespace, pod: req.pod, container: req.container, follow: req.follow, tailLines: req.tail_lines, timestamps: req.timestamps, previous: req.previous };
        for await (const chunk of api.logs(q, signal)) await write(call, chunk);
      });
    },

    Exec: (call) => {
      streaming(call, async (signal) => {
        const messages = (call as AsyncIterable<ExecInput__Output>)[Symbol.asyncIterator]();
        const first = await messages.next();
        if (first.done || first.value.input !== 'start' || !first.value.start) throw invalid('the first exec message must be a start');
        const s = first.value.start;
        const start = { namespace: s.namespace, pod: s.pod, container: s.container, command: s.command, tty: s.tty, stdin: s.stdin, cols: s.cols, rows: s.rows };
        const input = execInput({ [Symbol.asyncIterator]: () => messages });
        for await (const out of api.exec(start, input, signal)) await write(call, toWire(out));
      });
    },
  };
}

function decode(json: string, what: string): unknown {
  try {
    return JSON.parse(json);
  } catch (e) {
    throw invalid(`${what}: not valid JSON: ${errorMessage(e)}`);
  }
}

function decodeAll(jsons: string[]): unknown[] {
  const errors: string[] = [];
  const out = jsons.map((j, i) => {
    try {
      return JSON.parse(j) as unknown;
    } catch (e) {
      errors.push(`object ${i + 1}: not valid JSON: ${errorMessage(e)}`);
      return undefined;
    }
  });
  if (errors.length) throw invalid(`${errors.length} invalid object(s); nothing was applied`, errors);
  return out;
}

/** Writes one message, waiting for the stream to drain when its buffer is full. */
function write<T>(call: grpcTypes.ServerWritableStream<unknown, T> | grpcTypes.ServerDuplexStream<unknown, T>, msg: T): Promise<void> {
  return new Promise((resolve) => {
    if (call.write(msg)) resolve();
    else call.once('drain', () => resolve());
  });
}

async function* execInput(messages: AsyncIterable<ExecInput__Output>): AsyncIterable<ExecInput> {
  for await (const m of messages) {
    if (m.input === 'stdin' && m.stdin) yield { stdin: Buffer.from(m.stdin) };
    else if (m.input === 'resize' && m.resize) yield { resize: { cols: m.resize.cols, rows: m.resize.rows } };
    else if (m.input === 'close_stdin') yield { closeStdin: true };
  }
}

function toWire(out: DomainExecOutput): ExecOutput {
  if ('stdout' in out) return { stdout: out.stdout };
  if ('stderr' in out) return { stderr: out.stderr };
  return { exit_code: out.exitCode };
}
