// The gRPC edge of the API (kite.v1.Kite): decodes requests, calls the transport-neutral
// ApiService, encodes answers. Kite errors become gRPC status codes here and nowhere else.
import type * as grpcTypes from '@grpc/grpc-js';
import type { Readable } from 'node:stream';
import type { KiteHandlers } from '../../common/generated/kite/v1/Kite';
import type { ExecInput__Output } from '../../common/generated/kite/v1/ExecInput';
import type { ExecOutput } from '../../common/generated/kite/v1/ExecOutput';
import type { PushImageInput__Output } from '../../common/generated/kite/v1/PushImageInput';
import type { PortForwardInput__Output } from '../../common/generated/kite/v1/PortForwardInput';
import { invalid, isKiteError } from '../../common/errors';
import { toServiceError, failCall } from '../../common/grpc';
import type { Logger } from '../../common/log';
import type { ApiMetrics } from '../metrics';
import type { ApiService } from './service';
import type { SecurityService } from './security-service';
import type { IdentifyCaller, PeerCall } from '../security/peer-identity';
import type { Identity } from '../../common/pki/identity';
import type { ExecInput, ExecOutput as DomainExecOutput, PortForwardInput } from './pod-streams';

export interface GrpcEdgeDeps {
  api: ApiService;
  security: SecurityService;
  /** The caller's identity from its TLS certificate (throws Unauthenticated without one). */
  identify: IdentifyCaller;
  log: Logger;
  metrics?: ApiMetrics;
}

export function createGrpcHandlers({ api, security, identify, log, metrics }: GrpcEdgeDeps): KiteHandlers {
  /** Wraps a unary handler: the caller is identified, typed errors become gRPC statuses; requests are counted and timed. */
  function unary<Req, Res>(method: string, fn: (req: Req, caller: Identity) => Promise<Res>): grpcTypes.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const end = metrics?.startRequest(method);
      Promise.resolve()
        .then(() => fn(call.request, identify(call)))
        .then(
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
  function streaming(call: (grpcTypes.ServerWritableStream<unknown, unknown> | grpcTypes.ServerDuplexStream<unknown, unknown>) & PeerCall, run: (signal: AbortSignal, caller: Identity) => Promise<void>): void {
    const controller = new AbortController();
    call.on('cancelled', () => controller.abort());
    call.on('close', () => controller.abort());
    Promise.resolve()
      .then(() => run(controller.signal, identify(call)))
      .then(
      () => call.end(),
      (e: unknown) => {
        if (!controller.signal.aborted) failCall(call, e);
      },
    );
  }

  return {
    Apply: unary('Apply', async (req, caller) => {
      const { outcomes, warnings } = await api.apply(caller, decodeAll(req.objects_json ?? []), { dryRun: req.dry_run ?? false });
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

    Update: unary('Update', async (req, caller) => {
      const { object, warnings } = await api.update(caller, decode(req.object_json ?? '', 'object'));
      return { object_json: JSON.stringify(object), warnings };
    }),

    UpdateStatus: unary('UpdateStatus', async (req, caller) => {
      const object = await api.updateStatus(caller, decode(req.object_json ?? '', 'object'));
      return { object_json: JSON.stringify(object), warnings: [] };
    }),

    Get: unary('Get', async (req, caller) => ({ object_json: JSON.stringify(await api.get(caller, req.kind ?? '', req.namespace, req.name ?? '')), warnings: [] })),

    List: unary('List', async (req, caller) => {
      const res = await api.list(caller, req.kind ?? '', {
        namespace: req.namespace,
        allNamespaces: req.all_namespaces,
        labelSelector: req.label_selector,
        fieldSelector: req.field_selector,
      });
      return { items_json: res.items.map((o) => JSON.stringify(o)), resource_version: res.resourceVersion };
    }),

    Delete: unary('Delete', async (req, caller) => {
      const grace = req.grace_period_seconds ?? -1;
      const { object } = await api.delete(caller, {
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
      streaming(call, async (signal, caller) => {
        const events = api.watch(
          caller,
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

    // Any authenticated caller may ask (the CLI's first call, and tests' readiness probe).
    Version: unary('Version', async () => {
      const v = await api.version();
      return { version: v.version, controller_id: v.controllerId, leader_id: v.leaderId, is_leader: v.isLeader, components: v.components };
    }),

    Logs: (call) => {
      const req = call.request;
      streaming(call, async (signal, caller) => {
        const q = { namespace: req.namespace, pod: req.pod, container: req.container, follow: req.follow, tailLines: req.tail_lines, timestamps: req.timestamps, previous: req.previous };
        for await (const chunk of api.logs(caller, q, signal)) await write(call, chunk);
      });
    },

    Exec: (call) => {
      streaming(call, async (signal, caller) => {
        const messages = (call as AsyncIterable<ExecInput__Output>)[Symbol.asyncIterator]();
        const first = await messages.next();
        if (first.done || first.value.input !== 'start' || !first.value.start) throw invalid('the first exec message must be a start');
        const s = first.value.start;
        const start = { namespace: s.namespace, pod: s.pod, container: s.container, command: s.command, tty: s.tty, stdin: s.stdin, cols: s.cols, rows: s.rows };
        const input = execInput({ [Symbol.asyncIterator]: () => messages });
        for await (const out of api.exec(caller, start, input, signal)) await write(call, toWire(out));
      });
    },

    PortForward: (call) => {
      streaming(call, async (signal, caller) => {
        const messages = (call as AsyncIterable<PortForwardInput__Output>)[Symbol.asyncIterator]();
        const first = await messages.next();
        if (first.done || first.value.input !== 'start' || !first.value.start) throw invalid('the first port-forward message must be a start');
        const s = first.value.start;
        const input = portForwardInput({ [Symbol.asyncIterator]: () => messages });
        for await (const data of api.portForward(caller, { namespace: s.namespace, pod: s.pod, port: s.port }, input, signal)) await write(call, { data });
      });
    },

    PushImage: (call) => {
      streaming(call, async (signal, caller) => {
        // The client half-closes after the last chunk while results still flow back: reading to the
        // end must not destroy the call (as a plain for-await over it would).
        const messages = (call as unknown as Readable).iterator({ destroyOnReturn: false }) as AsyncIterator<PushImageInput__Output>;
        const first = await messages.next();
        if (first.done || first.value.input !== 'start' || !first.value.start) throw invalid('the first image push message must be a start');
        const s = first.value.start;
        const start = { image: s.image, imageId: s.image_id, sizeBytes: Number(s.size_bytes), nodes: s.nodes };
        for await (const ev of api.pushImage(caller, start, imageData({ [Symbol.asyncIterator]: () => messages }), signal)) {
          await write(call, 'plan' in ev ? { plan: ev.plan } : { result: { node: ev.result.node, error: ev.result.error ?? '' } });
        }
      });
    },

    CreateToken: unary('CreateToken', async (req, caller) => {
      const ttl = Number(req.ttl_seconds ?? 0);
      const { token, info, caHash } = await security.createToken(caller, ttl * 1000, req.description ?? '');
      return { token, info: tokenToWire(info), ca_hash: caHash };
    }),

    ListTokens: unary('ListTokens', async (_req, caller) => ({ tokens: (await security.listTokens(caller)).map(tokenToWire) })),

    DeleteToken: unary('DeleteToken', async (req, caller) => {
      await security.deleteToken(caller, req.id ?? '');
      return {};
    }),

    CreateUser: unary('CreateUser', async (req, caller) => {
      const { user, certificate, ca } = await security.createUser(caller, req.name ?? '', req.role ?? '', req.namespace || undefined, req.csr ?? '');
      return { user: userToWire(user), certificate, ca };
    }),

    ListUsers: unary('ListUsers', async (_req, caller) => ({ users: security.listUsers(caller).map(userToWire) })),

    DeleteUser: unary('DeleteUser', async (req, caller) => {
      await security.deleteUser(caller, req.name ?? '');
      return {};
    }),

    WhoAmI: unary('WhoAmI', async (_req, caller) => {
      const w = security.whoAmI(caller);
      return { kind: w.kind, name: w.name, role: w.role ?? '', namespace: w.namespace ?? '' };
    }),

    CreateKubeconfig: unary('CreateKubeconfig', async (req, caller) => {
      const k = await security.createKubeconfig(caller, req.user || undefined, Number(req.ttl_seconds ?? 0) * 1000);
      return { server: k.server, ca: k.ca, token: k.token ?? '', user: k.user };
    }),
  };
}

function tokenToWire(t: { id: string; description: string; expires?: string; created: string }) {
  return { id: t.id, description: t.description, expires: t.expires ?? '', created: t.created };
}

function userToWire(u: { name: string; role: string; namespace?: string; created: string }) {
  return { name: u.name, role: u.role, namespace: u.namespace ?? '', created: u.created };
}

function decode(json: string, what: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    // Not JSON.parse's message: it quotes the text around the fault, which may be a Secret value.
    throw invalid(`${what}: not valid JSON`);
  }
}

function decodeAll(jsons: string[]): unknown[] {
  const errors: string[] = [];
  const out = jsons.map((j, i) => {
    try {
      return JSON.parse(j) as unknown;
    } catch {
      errors.push(`object ${i + 1}: not valid JSON`);
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

async function* portForwardInput(messages: AsyncIterable<PortForwardInput__Output>): AsyncIterable<PortForwardInput> {
  for await (const m of messages) {
    if (m.input === 'data' && m.data) yield { data: Buffer.from(m.data) };
    else if (m.input === 'close_write') yield { closeWrite: true };
  }
}

function toWire(out: DomainExecOutput): ExecOutput {
  if ('stdout' in out) return { stdout: out.stdout };
  if ('stderr' in out) return { stderr: out.stderr };
  return { exit_code: out.exitCode };
}

/** The image archive's chunks after the start message. */
async function* imageData(messages: AsyncIterable<PushImageInput__Output>): AsyncIterable<Buffer> {
  for await (const m of messages) {
    if (m.input !== 'data' || !m.data) throw invalid('after the start, an image push carries only data');
    yield Buffer.from(m.data);
  }
}
