// The client-facing gRPC service (kite.v1.Kite). Handlers speak domain types and typed errors;
// gRPC status codes appear only here, through toServiceError.
import type * as grpcTypes from '@grpc/grpc-js';
import type { KiteHandlers } from '../../common/generated/kite/v1/Kite';
import type { KObject } from '../../common/api/types';
import { lookupKind, kindInfo } from '../../common/kinds/registry';
import { invalid, isKiteError, errorMessage, notFound } from '../../common/errors';
import { toServiceError, failCall } from '../../common/grpc';
import type { Logger } from '../../common/log';
import type { ObjectStore, StoreEvent } from '../store/types';
import { prepareObjects, applyObjects } from './apply';
import { validateObject } from '../../common/manifest';
import type { ApiMetrics } from '../metrics';

export interface LeaderView {
  readonly id: string;
  leaderId(): string;
  isLeader(): boolean;
}

/** Logs and exec are proxied to the agent that runs the pod. */
export interface PodStreams {
  logs: KiteHandlers['Logs'];
  exec: KiteHandlers['Exec'];
}

export interface ApiServerDeps {
  store: ObjectStore;
  leader: LeaderView;
  version: string;
  log: Logger;
  metrics?: ApiMetrics;
  podStreams?: PodStreams;
  /** Extra component health for `kite get componentstatus`. */
  components?: () => Promise<{ name: string; healthy: boolean; message: string }[]>;
}

function resolveKind(kind: string): string {
  const info = lookupKind(kind);
  if (!info) throw invalid(`the server doesn't have a resource type "${kind}"`);
  return info.kind;
}

function namespaceFor(kind: string, ns: string): string {
  return kindInfo(kind)?.namespaced ? ns || 'default' : '';
}

function parseObject(json: string, what: string): KObject {
  try {
    const obj = JSON.parse(json) as KObject;
    if (!obj || typeof obj !== 'object' || !obj.kind || !obj.metadata?.name) throw new Error('kind and metadata.name are required');
    return obj;
  } catch (e) {
    throw invalid(`${what}: ${errorMessage(e)}`);
  }
}

export function createApiHandlers(deps: ApiServerDeps): KiteHandlers {
  const { store, log } = deps;

  /** Wraps a unary handler: typed errors become gRPC statuses; requests are counted and timed. */
  function unary<Req, Res>(method: string, fn: (req: Req) => Promise<Res>): grpcTypes.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const end = deps.metrics?.startRequest(method);
      fn(call.request).then(
        (res) => {
          end?.('OK');
          callback(null, res);
        },
        (e: unknown) => {
          const se = toServiceError(e);
          end?.(isKiteError(e) ? e.code : 'Internal');
          if (!isKiteError(e)) log.error({ err: e, method }, 'request failed');
          callback(se as grpcTypes.ServiceError);
        },
      );
    };
  }

  return {
    Apply: unary('Apply', async (req) => {
      const { objects, warnings } = prepareObjects(req.objects_json ?? []);
      const outcomes = await applyObjects(store, objects, req.dry_run ?? false);
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
      const { objects, warnings } = prepareObjects([req.object_json ?? '']);
      const obj = objects[0]!;
      obj.metadata.resourceVersion = parseObject(req.object_json ?? '', 'object').metadata.resourceVersion;
      const updated = await store.update(obj);
      return { object_json: JSON.stringify(updated), warnings };
    }),

    UpdateStatus: unary('UpdateStatus', async (req) => {
      const obj = parseObject(req.object_json ?? '', 'object');
      resolveKind(obj.kind);
      const problems = [...validateObject(obj, { origin: 'system' }).errors.map((f) => `${f.path}: ${f.message}`), ...statusProblems(obj)];
      if (problems.length) throw invalid(`${obj.kind} "${obj.metadata.name}" is invalid: ${problems[0]}`, problems);
      const updated = await store.updateStatus(obj);
      return { object_json: JSON.stringify(updated), warnings: [] };
    }),

    Get: unary('Get', async (req) => {
      const kind = resolveKind(req.kind ?? '');
      const ns = namespaceFor(kind, req.namespace ?? '');
      const obj = await store.get(kind, ns, req.name ?? '');
      if (!obj) throw notFoundFor(kind, req.name ?? '', ns);
      return { object_json: JSON.stringify(obj), warnings: [] };
    }),

    List: unary('List', async (req) => {
      const kind = resolveKind(req.kind ?? '');
      const ns = req.all_namespaces ? undefined : namespaceFor(kind, req.namespace ?? '') || undefined;
      const res = await store.list(kind, { namespace: ns, labelSelector: req.label_selector, fieldSelector: req.field_selector });
      return { items_json: res.items.map((o) => JSON.stringify(o)), resource_version: res.resourceVersion };
    }),

    Delete: unary('Delete', async (req) => {
      const kind = resolveKind(req.ref?.kind ?? '');
      const ns = namespaceFor(kind, req.ref?.namespace ?? '');
      const deleted = await store.delete(kind, ns, req.ref?.name ?? '', { resourceVersion: req.resource_version || undefined });
      return { object_json: JSON.stringify(deleted), warnings: [] };
    }),

    Watch: (call) => {
      const req = call.request;
      const controller = new AbortController();
      call.on('cancelled', () => controller.abort());
      call.on('close', () => controller.abort());
      const send = (type: string, object: KObject, rv: string) =>
        new Promise<void>((resolve) => {
          if (call.write({ type, object_json: JSON.stringify(object), resource_version: rv })) resolve();
          else call.once('drain', () => resolve());
        });
      (async () => {
        const kind = resolveKind(req.kind ?? '');
        const ns = req.all_namespaces ? undefined : namespaceFor(kind, req.namespace ?? '') || undefined;
        const opts = { namespace: ns, labelSelector: req.label_selector, fieldSelector: req.field_selector };
        let from = req.resource_version ?? '';
        if (!from) {
          const initial = await store.list(kind, opts);
          for (const o of initial.items) await send('ADDED', o, o.metadata.resourceVersion ?? initial.resourceVersion);
          from = initial.resourceVersion;
          // Tell the client where the initial state ends, so it can resume from here.
          call.write({ type: 'BOOKMARK', object_json: '', resource_version: from });
        } else if (!/^\d+$/.test(from)) {
          throw invalid(`resourceVersion "${from}" is not a number`);
        }
        for await (const ev of store.watch(kind, { ...opts, resourceVersion: from }, controller.signal) as AsyncIterable<StoreEvent>) {
          await send(ev.type, ev.object, ev.resourceVersion);
        }
        call.end();
      })().catch((e: unknown) => {
        if (controller.signal.aborted) return;
        // 'error' makes grpc-js end the call with this status; destroy() would drop the status.
        failCall(call, e);
      });
    },

    Version: unary('Version', async () => {
      const components = [
        { name: 'controller', healthy: true, message: `id ${deps.leader.id}` },
        ...(deps.components ? await deps.components() : []),
      ];
      return {
        version: deps.version,
        controller_id: deps.leader.id,
        leader_id: deps.leader.leaderId(),
        is_leader: deps.leader.isLeader(),
        components,
      };
    }),

    Logs: (call) => {
      if (!deps.podStreams) return failCall(call, invalid('logs are not available on this controller'));
      deps.podStreams.logs(call);
    },

    Exec: (call) => {
      if (!deps.podStreams) return failCall(call, invalid('exec is not available on this controller'));
      deps.podStreams.exec(call);
    },
  };
}

const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

/** The little a status write must get right: a mapping, and for pods a known phase. */
function statusProblems(obj: KObject): string[] {
  const status = obj.status as Record<string, unknown> | undefined;
  if (status === undefined) return [];
  if (!status || typeof status !== 'object' || Array.isArray(status)) return ['status: must be a mapping'];
  if (obj.kind === 'Pod' && status.phase !== undefined && !POD_PHASES.includes(status.phase as string)) {
    return [`status.phase: "${String(status.phase)}" is not one of ${POD_PHASES.join(', ')}`];
  }
  return [];
}

function notFoundFor(kind: string, name: string, ns: string) {
  const info = kindInfo(kind)!;
  return notFound(`${info.plural} "${name}" not found${info.namespaced ? ` in namespace "${ns}"` : ''}`);
}
