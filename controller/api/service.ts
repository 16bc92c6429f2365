// The API's operations, independent of any transport: apply, get, list, watch, update,
// updateStatus, delete, version, logs and exec. Each takes and returns domain values (objects,
// not JSON text) and fails with typed Kite errors. The gRPC edge (grpc-edge.ts) is a thin mapping
// onto this service; an HTTP edge calls the same methods.
import type { KObject } from '../../common/api/types';
import { isPodPhase, POD_PHASES } from '../../common/api/pod';
import { kindDefinition, lookupKind } from '../../common/kinds/registry';
import type { KindDefinition } from '../../common/kinds/kind';
import { KiteError, conflict, invalid, notFound, resourceExhausted } from '../../common/errors';
import { SYSTEM_NAMESPACES } from '../namespaces/namespace-controller';
import { validateObject } from '../../common/manifest';
import type { ObjectStore, StoreEvent } from '../store/types';
import { applyObjects, prepareObjects, immutableProblems, type ApplyOutcome } from './apply';
import { NamespaceGate } from './namespace-gate';
import { PodSecurityGate } from './pod-security-gate';
import { PLAIN_WRITES, type WriteHooks } from './write-hooks';
import { statefulSetServiceWarnings } from './statefulset-warnings';
import type { ExecInput, ExecOutput, ExecStart, LogChunk, LogsQuery, PodStreams, PortForwardInput, PortForwardStart } from './pod-streams';
import { describeIdentity, type Identity } from '../../common/pki/identity';
import { PUSH_IMAGES, type ImagePusher, type PushEvent, type PushStart } from './image-push';
import type { Access, Authorizer, Verb } from '../security/authorize';

export interface LeaderView {
  readonly id: string;
  leaderId(): string;
  isLeader(): boolean;
}

export interface ComponentHealth {
  name: string;
  healthy: boolean;
  message: string;
}

export interface ApiServiceDeps {
  store: ObjectStore;
  leader: LeaderView;
  version: string;
  podStreams?: PodStreams;
  /** kite image push: the image streamed to nodes' engines (image-push.ts). */
  imagePusher?: ImagePusher;
  /** Extra component health for `kite get componentstatus`. */
  components?: () => Promise<ComponentHealth[]>;
  /** What the system does around writes (a Service's cluster IP and node ports); plain writes when omitted. */
  writeHooks?: WriteHooks;
  /** Decides whether a caller may do what it asks (every method but version). */
  authorizer: Pick<Authorizer, 'check'>;
  /** Watches one caller may hold open at once (default 1024), so one client cannot exhaust the controller. */
  maxWatchesPerCaller?: number;
}

export interface ListQuery {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchQuery extends ListQuery {
  /** Empty: start with the current state as ADDED events and a BOOKMARK, then changes. */
  resourceVersion?: string;
}

export type ApiWatchEvent = { type: 'BOOKMARK'; resourceVersion: string } | { type: StoreEvent['type']; object: KObject; resourceVersion: string };

export interface DeleteRequest {
  kind: string;
  namespace?: string;
  name: string;
  /** Precondition: delete only at this revision. */
  resourceVersion?: string;
  /** A pod's grace; undefined or negative means the pod's own; 0 removes it at once. */
  gracePeriodSeconds?: number;
}

export interface VersionInfo {
  version: string;
  controllerId: string;
  leaderId: string;
  isLeader: boolean;
  components: ComponentHealth[];
}

export class ApiService {
  private readonly store: ObjectStore;
  private readonly namespaces: NamespaceGate;
  private readonly podSecurity: PodSecurityGate;
  private readonly hooks: WriteHooks;
  /** Open watches per caller (identity kind and name). */
  private readonly openWatches = new Map<string, number>();

  constructor(private readonly deps: ApiServiceDeps) {
    this.store = deps.store;
    this.hooks = deps.writeHooks ?? PLAIN_WRITES;
    this.namespaces = new NamespaceGate(deps.store);
    this.podSecurity = new PodSecurityGate(deps.store);
  }

  /** Validates the whole set, then creates or updates each object; nothing is written when any is invalid. */
  async apply(caller: Identity, raw: readonly unknown[], opts: { dryRun?: boolean } = {}): Promise<{ outcomes: ApplyOutcome[]; warnings: string[] }> {
    const { objects, warnings } = prepareObjects(raw);
    // apply creates or updates: a caller needs both on every object of the set.
    for (const o of objects) {
      const def = requireDefinition(o.kind);
      this.authorize(caller, 'create', def, namespaceOf(def, o.metadata.namespace));
      this.authorize(caller, 'update', def, namespaceOf(def, o.metadata.namespace));
    }
    const outcomes = await applyObjects(this.store, objects, { dryRun: opts.dryRun ?? false, namespaces: this.namespaces, podSecurity: this.podSecurity, hooks: this.hooks });
    return { outcomes, warnings: [...warnings, ...(await statefulSetServiceWarnings(this.store, objects))] };
  }

  /** Replaces one object's spec and metadata; a stale metadata.resourceVersion is a Conflict. */
  async update(caller: Identity, raw: unknown): Promise<{ object: KObject; warnings: string[] }> {
    const { objects, warnings } = prepareObjects([raw]);
    const obj = objects[0]!;
    const def = requireDefinition(obj.kind);
    this.authorize(caller, 'update', def, namespaceOf(def, obj.metadata.namespace));
    const current = await this.store.get(obj.kind, namespaceOf(def, obj.metadata.namespace), obj.metadata.name);
    if (!current) throw notFoundFor(def, obj.metadata.name, namespaceOf(def, obj.metadata.namespace));
    const problems = immutableProblems(def, current, obj);
    if (!problems.length) problems.push(...(await this.hooks.check(current, obj)));
    if (problems.length) throw invalid(`${def.kind} "${obj.metadata.name}" is invalid: ${problems[0]}`, problems);
    await this.podSecurity.check([{ object: obj, existing: current }]);
    return { object: await this.hooks.update(current, obj, (o) => this.store.update(o)), warnings };
  }

  /** Replaces one object's status (system writers). */
  async updateStatus(caller: Identity, raw: unknown): Promise<KObject> {
    const obj = requireObjectShape(raw);
    const def = requireDefinition(obj.kind);
    this.authorize(caller, 'update', def, namespaceOf(def, obj.metadata.namespace));
    const problems = [...validateObject(obj, { origin: 'system' }).errors.map((f) => `${f.path}: ${f.message}`), ...statusProblems(obj)];
    if (problems.length) throw invalid(`${obj.kind} "${obj.metadata.name}" is invalid: ${problems[0]}`, problems);
    return this.store.updateStatus(obj);
  }

  async get(caller: Identity, kind: string, namespace: string | undefined, name: string): Promise<KObject> {
    const def = resolveKind(kind);
    const ns = namespaceOf(def, namespace);
    this.authorize(caller, 'get', def, ns);
    const obj = await this.store.get(def.kind, ns, name);
    if (!obj) throw notFoundFor(def, name, ns);
    return obj;
  }

  async list(caller: Identity, kind: string, q: ListQuery = {}): Promise<{ items: KObject[]; resourceVersion: string }> {
    const def = resolveKind(kind);
    const opts = this.listOptions(def, q);
    this.authorize(caller, 'list', def, opts.namespace);
    return this.store.list(def.kind, opts);
  }

  /** The current state (unless resuming from a resourceVersion), then every change, until signal aborts. */
  async *watch(caller: Identity, kind: string, q: WatchQuery, signal: AbortSignal): AsyncIterable<ApiWatchEvent> {
    const def = resolveKind(kind);
    const opts = this.listOptions(def, q);
    this.authorize(caller, 'watch', def, opts.namespace);
    const release = this.admitWatch(caller);
    try {
      yield* this.watchAdmitted(def, opts, q, signal);
    } finally {
      release();
    }
  }

  private admitWatch(caller: Identity): () => void {
    const key = caller.kind === 'controller' ? 'controller' : `${caller.kind}:${caller.name}`;
    const limit = this.deps.maxWatchesPerCaller ?? 1024;
    const open = this.openWatches.get(key) ?? 0;
    if (open >= limit) throw resourceExhausted(`${describeIdentity(caller)} already has ${open} watches open (at most ${limit} per client); close some first`);
    this.openWatches.set(key, open + 1);
    return () => {
      const n = (this.openWatches.get(key) ?? 1) - 1;
      if (n > 0) this.openWatches.set(key, n);
      else this.openWatches.delete(key);
    };
  }

  private async *watchAdmitted(def: KindDefinition, opts: ReturnType<ApiService['listOptions']>, q: WatchQuery, signal: AbortSignal): AsyncIterable<ApiWatchEvent> {
    let from = q.resourceVersion ?? '';
    if (!from) {
      const initial = await this.store.list(def.kind, opts);
      for (const o of initial.items) yield { type: 'ADDED', object: o, resourceVersion: o.metadata.resourceVersion ?? initial.resourceVersion };
      from = initial.resourceVersion;
      // Where the initial state ends, so the client can resume from here.
      yield { type: 'BOOKMARK', resourceVersion: from };
    } else if (!/^\d+$/.test(from)) {
      throw invalid(`resourceVersion "${from}" is not a number`);
    }
    for await (const ev of this.store.watch(def.kind, { ...opts, resourceVersion: from }, signal)) {
      yield { type: ev.type, object: ev.object, resourceVersion: ev.resourceVersion };
    }
  }

  /**
   * Deletes one object. Pods and namespaces, and objects with finalizers, are first marked
   * Terminating (metadata.deletionTimestamp) and removed when the system is done with them.
   * Deleting what is already Terminating is refused, except to remove a pod at once (grace 0).
   */
  async delete(caller: Identity, req: DeleteRequest): Promise<{ object: KObject; removed: boolean }> {
    const def = resolveKind(req.kind);
    const ns = namespaceOf(def, req.namespace);
    this.authorize(caller, 'delete', def, ns);
    if (def.kind === 'Namespace' && SYSTEM_NAMESPACES.includes(req.name)) {
      throw new KiteError('Forbidden', `namespace "${req.name}" is a system namespace and cannot be deleted`);
    }
    const current = await this.store.get(def.kind, ns, req.name);
    if (!current) throw notFoundFor(def, req.name, ns);
    if (current.metadata.deletionTimestamp && req.gracePeriodSeconds !== 0) {
      throw conflict(
        `${def.plural} "${req.name}" is already being deleted (metadata.deletionTimestamp ${current.metadata.deletionTimestamp})` +
          (def.kind === 'Pod' ? '; use --force --grace-period 0 to remove it at once' : ''),
      );
    }
    const result = await this.store.delete(def.kind, ns, req.name, { resourceVersion: req.resourceVersion, gracePeriodSeconds: req.gracePeriodSeconds });
    // What it held is free again at once; the leader's repair sweep catches what this misses.
    if (result.removed) await this.hooks.removed(result.object).catch(() => undefined);
    return result;
  }

  async version(): Promise<VersionInfo> {
    const { leader } = this.deps;
    return {
      version: this.deps.version,
      controllerId: leader.id,
      leaderId: leader.leaderId(),
      isLeader: leader.isLeader(),
      components: [{ name: 'controller', healthy: true, message: `id ${leader.id}` }, ...(this.deps.components ? await this.deps.components() : [])],
    };
  }

  logs(caller: Identity, q: LogsQuery, signal: AbortSignal): AsyncIterable<LogChunk> {
    this.deps.authorizer.check(caller, { verb: 'logs', resource: 'pods', namespaced: true, namespace: q.namespace || 'default' });
    if (!this.deps.podStreams) throw invalid('logs are not available on this controller');
    return this.deps.podStreams.logs(q, signal);
  }

  exec(caller: Identity, start: ExecStart, input: AsyncIterable<ExecInput>, signal: AbortSignal): AsyncIterable<ExecOutput> {
    this.deps.authorizer.check(caller, { verb: 'exec', resource: 'pods', namespaced: true, namespace: start.namespace || 'default' });
    if (!this.deps.podStreams) throw invalid('exec is not available on this controller');
    if (!start.command.length) throw invalid('exec needs a command');
    return this.deps.podStreams.exec(start, input, signal);
  }

  /** One forwarded TCP connection to a pod's port; the same role as exec may open it (edit). */
  portForward(caller: Identity, start: PortForwardStart, input: AsyncIterable<PortForwardInput>, signal: AbortSignal): AsyncIterable<Buffer> {
    this.deps.authorizer.check(caller, { verb: 'portforward', resource: 'pods', namespaced: true, namespace: start.namespace || 'default' });
    if (!this.deps.podStreams) throw invalid('port-forward is not available on this controller');
    if (!Number.isInteger(start.port) || start.port < 1 || start.port > 65535) throw invalid(`port ${start.port} is not a TCP port (1-65535)`);
    return this.deps.podStreams.portForward(start, input, signal);
  }

  /** Streams an image archive to nodes' engines; the first event is the plan, then one result per target node. */
  pushImage(caller: Identity, start: PushStart, data: AsyncIterable<Buffer>, signal: AbortSignal): AsyncIterable<PushEvent> {
    this.deps.authorizer.check(caller, PUSH_IMAGES);
    if (!this.deps.imagePusher) throw invalid('image push is not available on this controller');
    return this.deps.imagePusher.push(start, data, signal);
  }

  private authorize(caller: Identity, verb: Verb, def: KindDefinition, namespace: string | undefined): void {
    const access: Access = { verb, resource: def.plural, namespaced: def.namespaced, ...(def.namespaced && namespace !== undefined ? { namespace } : {}) };
    this.deps.authorizer.check(caller, access);
  }

  private listOptions(def: KindDefinition, q: ListQuery) {
    const namespace = q.allNamespaces || !def.namespaced ? undefined : namespaceOf(def, q.namespace);
    return { namespace, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector };
  }
}

function resolveKind(kind: string): KindDefinition {
  const def = lookupKind(kind);
  if (!def) throw invalid(`the server doesn't have a resource type "${kind}"`);
  return def;
}

function requireDefinition(kind: string): KindDefinition {
  const def = kindDefinition(kind);
  if (!def) throw invalid(`unknown kind "${kind}"`);
  return def;
}

function namespaceOf(def: KindDefinition, ns: string | undefined): string {
  return def.namespaced ? ns || 'default' : '';
}

function requireObjectShape(raw: unknown): KObject {
  const obj = raw as KObject;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj) || !obj.kind || !obj.metadata?.name) throw invalid('object: kind and metadata.name are required');
  return obj;
}

/** The little a status write must get right: a mapping, and for pods a known phase. */
function statusProblems(obj: KObject): string[] {
  const status = obj.status as Record<string, unknown> | undefined;
  if (status === undefined) return [];
  if (!status || typeof status !== 'object' || Array.isArray(status)) return ['status: must be a mapping'];
  if (obj.kind === 'Pod' && status.phase !== undefined && !isPodPhase(status.phase)) {
    return [`status.phase: "${String(status.phase)}" is not one of ${POD_PHASES.join(', ')}`];
  }
  return [];
}

export function notFoundFor(def: KindDefinition, name: string, ns: string) {
  return notFound(`${def.plural} "${name}" not found${def.namespaced ? ` in namespace "${ns}"` : ''}`);
}
