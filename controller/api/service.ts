// The API's operations, independent of any transport: apply, get, list, watch, update,
// updateStatus, delete, version, logs and exec. Each takes and returns domain values (objects,
// not JSON text) and fails with typed Kite errors. The gRPC edge (grpc-edge.ts) is a thin mapping
// onto this service; an HTTP edge calls the same methods.
import type { KObject } from '../../common/api/types';
import { isPodPhase, POD_PHASES } from '../../common/api/pod';
import { KINDS, kindDefinition, lookupKind } from '../../common/kinds/registry';
import type { KindDefinition } from '../../common/kinds/kind';
import { KiteError, alreadyExists, conflict, invalid, isKiteError, notFound, resourceExhausted } from '../../common/errors';
import { SYSTEM_NAMESPACES } from '../namespaces/namespace-controller';
import { validateObject, type FieldValidation } from '../../common/manifest';
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
  /**
   * What happens to the objects it owns: Background (default) leaves them to the garbage
   * collector; Orphan first removes this owner from their ownerReferences so they stay;
   * Foreground deletes them before the owner (in this call, not waiting for them to be gone).
   */
  propagationPolicy?: PropagationPolicy;
  /** Check everything, change nothing. */
  dryRun?: boolean;
}

export const PROPAGATION_POLICIES = ['Background', 'Foreground', 'Orphan'] as const;
export type PropagationPolicy = (typeof PROPAGATION_POLICIES)[number];

export interface WriteOptions {
  /** Check everything, write nothing: answer the object as it would be stored. */
  dryRun?: boolean;
  /** Unknown fields: refused (Strict, the default), or dropped with (Warn) or without (Ignore) a warning. */
  fieldValidation?: FieldValidation;
  /**
   * Last words on a validated object before it is checked and written, given what is stored
   * (undefined: a create): the HTTP edge records field managers here.
   */
  stamp?: (current: KObject | undefined, next: KObject) => KObject;
}

/** How often a patch re-reads and re-applies after losing a race with another writer. */
const PATCH_ATTEMPTS = 5;

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

  /** Creates one object; AlreadyExists when it is there. */
  async create(caller: Identity, raw: unknown, opts: WriteOptions = {}): Promise<{ object: KObject; warnings: string[] }> {
    const { objects, warnings } = prepareObjects([raw], opts.fieldValidation);
    const def = requireDefinition(objects[0]!.kind);
    const ns = namespaceOf(def, objects[0]!.metadata.namespace);
    this.authorize(caller, 'create', def, ns);
    const obj = opts.stamp ? opts.stamp(undefined, objects[0]!) : objects[0]!;
    // Independent checks, at once; the store's create refuses a name taken meanwhile.
    const [exists, problems] = await Promise.all([
      opts.dryRun ? this.store.get(def.kind, ns, obj.metadata.name) : undefined,
      this.hooks.check(undefined, obj),
      def.namespaced ? this.namespaces.check([ns], new Set()) : undefined,
      this.podSecurity.check([{ object: obj }]),
    ]);
    if (exists) throw alreadyExistsFor(def, obj.metadata.name);
    if (problems.length) throw invalid(`${def.kind} "${obj.metadata.name}" is invalid: ${problems[0]}`, problems);
    if (opts.dryRun) return { object: obj, warnings };
    try {
      return { object: await this.hooks.create(obj, (o) => this.store.create(o)), warnings };
    } catch (e) {
      throw isKiteError(e, 'AlreadyExists') ? alreadyExistsFor(def, obj.metadata.name) : e;
    }
  }

  /** Replaces one object's spec and metadata; a stale metadata.resourceVersion is a Conflict. */
  async update(caller: Identity, raw: unknown, opts: WriteOptions = {}): Promise<{ object: KObject; warnings: string[] }> {
    const { objects, warnings } = prepareObjects([raw], opts.fieldValidation);
    const def = requireDefinition(objects[0]!.kind);
    const ns = namespaceOf(def, objects[0]!.metadata.namespace);
    this.authorize(caller, 'update', def, ns);
    const current = await this.store.get(def.kind, ns, objects[0]!.metadata.name);
    if (!current) throw notFoundFor(def, objects[0]!.metadata.name, ns);
    const obj = opts.stamp ? opts.stamp(current, objects[0]!) : objects[0]!;
    const problems = immutableProblems(def, current, obj);
    if (!problems.length) problems.push(...(await this.hooks.check(current, obj)));
    if (problems.length) throw invalid(`${def.kind} "${obj.metadata.name}" is invalid: ${problems[0]}`, problems);
    await this.podSecurity.check([{ object: obj, existing: current }]);
    if (opts.dryRun) {
      const rv = obj.metadata.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw conflictFor(def, obj.metadata.name);
      return { object: { ...obj, status: current.status }, warnings };
    }
    return { object: await this.hooks.update(current, obj, (o) => this.store.update(o)), warnings };
  }

  /**
   * Read, change, write: `change` turns the stored object (undefined when there is none) into the
   * desired one; the write is guarded by the revision read, and a concurrent write makes it read
   * and change again. Absent objects are NotFound unless `createIfMissing` (server-side apply).
   */
  async patch(caller: Identity, kind: string, namespace: string | undefined, name: string, change: (current: KObject | undefined) => unknown, opts: WriteOptions & { createIfMissing?: boolean } = {}): Promise<{ object: KObject; warnings: string[]; created: boolean }> {
    const def = resolveKind(kind);
    const ns = namespaceOf(def, namespace);
    this.authorize(caller, 'update', def, ns);
    for (let attempt = 0; ; attempt++) {
      const current = await this.store.get(def.kind, ns, name);
      if (!current) {
        if (!opts.createIfMissing) throw notFoundFor(def, name, ns);
        const desired = change(undefined);
        requireSameIdentity(def, ns, name, desired);
        try {
          return { ...(await this.create(caller, desired, opts)), created: true };
        } catch (e) {
          if (isKiteError(e, 'AlreadyExists') && attempt < PATCH_ATTEMPTS) continue;
          throw e;
        }
      }
      const desired = change(current) as KObject;
      requireSameIdentity(def, ns, name, desired);
      // A revision in the patch itself is the caller's precondition; otherwise the one just read.
      const precondition = desired.metadata.resourceVersion !== undefined && desired.metadata.resourceVersion !== current.metadata.resourceVersion;
      // Status is the system's: a patched copy of the stored object carries it, and it is kept as stored.
      const { status: _status, ...spec } = desired;
      const next = { ...spec, metadata: { ...desired.metadata, resourceVersion: desired.metadata.resourceVersion ?? current.metadata.resourceVersion } };
      try {
        return { ...(await this.update(caller, next, opts)), created: false };
      } catch (e) {
        if (isKiteError(e, 'Conflict') && !precondition && attempt < PATCH_ATTEMPTS) continue;
        throw e;
      }
    }
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
    if (req.resourceVersion && req.resourceVersion !== current.metadata.resourceVersion) throw conflictFor(def, req.name);
    if (req.dryRun) return { object: current, removed: false };
    if (req.propagationPolicy === 'Orphan' || req.propagationPolicy === 'Foreground') await this.releaseDependents(caller, current, req.propagationPolicy);
    const result = await this.store.delete(def.kind, ns, req.name, { resourceVersion: req.resourceVersion, gracePeriodSeconds: req.gracePeriodSeconds });
    // What it held is free again at once; the leader's repair sweep catches what this misses.
    if (result.removed) await this.hooks.removed(result.object).catch(() => undefined);
    return result;
  }

  /** The objects `owner` owns (same namespace), orphaned (its reference removed) or deleted. */
  private async releaseDependents(caller: Identity, owner: KObject, policy: 'Orphan' | 'Foreground'): Promise<void> {
    const uid = owner.metadata.uid;
    if (!uid) return;
    for (const def of KINDS) {
      if (!def.namespaced || def.kind === 'Event') continue;
      const { items } = await this.store.list(def.kind, { namespace: owner.metadata.namespace ?? 'default' });
      for (const dep of items.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid))) {
        if (policy === 'Foreground') {
          await this.delete(caller, { kind: def.kind, namespace: dep.metadata.namespace, name: dep.metadata.name, propagationPolicy: 'Foreground' }).catch((e: unknown) => {
            if (!isKiteError(e, 'NotFound') && !isKiteError(e, 'Conflict')) throw e;
          });
          continue;
        }
        await this.patch(caller, def.kind, dep.metadata.namespace, dep.metadata.name, (cur) => {
          const refs = (cur!.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          return { ...cur!, metadata: { ...cur!.metadata, ownerReferences: refs.length ? refs : undefined } };
        }).catch((e: unknown) => {
          if (!isKiteError(e, 'NotFound')) throw e;
        });
      }
    }
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

function requireSameIdentity(def: KindDefinition, ns: string, name: string, raw: unknown): void {
  const o = raw as KObject;
  if (!o || typeof o !== 'object' || Array.isArray(o) || !o.metadata || typeof o.metadata !== 'object') throw invalid('the patched object must be a mapping with metadata');
  if (o.kind !== def.kind) throw invalid(`kind: may not be changed (from ${def.kind} to ${String(o.kind)})`);
  if (o.metadata.name !== name) throw invalid(`metadata.name: may not be changed (from "${name}" to "${String(o.metadata.name)}")`);
  if (def.namespaced && (o.metadata.namespace ?? ns) !== ns) throw invalid(`metadata.namespace: may not be changed (from "${ns}" to "${String(o.metadata.namespace)}")`);
}

function alreadyExistsFor(def: KindDefinition, name: string) {
  return alreadyExists(`${def.plural} "${name}" already exists`);
}

function conflictFor(def: KindDefinition, name: string) {
  return conflict(`Operation cannot be fulfilled on ${def.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
}

export function notFoundFor(def: KindDefinition, name: string, ns: string) {
  return notFound(`${def.plural} "${name}" not found${def.namespaced ? ` in namespace "${ns}"` : ''}`);
}
