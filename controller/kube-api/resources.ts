// The resource verbs of the Kubernetes HTTP API on top of the transport-neutral ApiService: list,
// get, watch, create (POST), replace (PUT), patch (four media types), delete, and the
// subresources kubectl uses (status, scale, eviction, log). Every operation is an ApiService call;
// this module only translates between Kubernetes' wire shapes and Kite's.
import type * as http from 'node:http';
import type { KObject } from '../../common/api/types';
import type { KindDefinition } from '../../common/kinds/kind';
import type { Identity } from '../../common/pki/identity';
import { conflict, invalid } from '../../common/errors';
import type { ApiService, PropagationPolicy, WriteOptions } from '../api/service';
import { PROPAGATION_POLICIES } from '../api/service';
import { APPLY_PATCH, PATCH_CONTENT_TYPES, applyPatch, isApplyPatch } from '../../common/kube/patch';
import { recordUpdate, serverSideApply } from '../../common/kube/managed-fields';
import { parseJson, parseYaml, readBody } from './body';
import { badRequest, methodNotAllowed, notFoundPath, success, unsupportedMediaType } from './status';
import { writeQuery, type WriteQuery } from './write-options';
import { validateObject, withoutUnknownFields } from '../../common/manifest';
import type { ResourcePath } from './paths';
import { groupVersionOf, resolveResource } from './discovery';
import { parseIncludeObject, toTable, wantsTable, type IncludeObjectPolicy } from './table';
import { streamWatch } from './watch';
import { streamLogs } from './logs';
import { decodeKubeProtobuf, isKubeProtobuf } from './protobuf/decode';
import { rfc3339 } from '../store/semantics';

/** What a handler answers: a JSON body with a status code (and warnings), or nothing when it streamed. */
export type Reply = { code: number; body: unknown; warnings?: string[]; contentType?: string } | { streamed: true };

export interface RequestInfo {
  caller: Identity;
  method: string;
  target: ResourcePath;
  query: URLSearchParams;
  req: http.IncomingMessage;
  res: http.ServerResponse;
}

/** The kind a resource path names; 404 for anything Kite does not have. */
export function kindOf(target: ResourcePath): KindDefinition {
  const def = resolveResource(target.group, target.version, target.resource);
  if (!def) throw notFoundPath(`the server could not find the requested resource (${target.group ? `${target.resource}.${target.group}` : target.resource})`);
  return def;
}

export class ResourceHandlers {
  constructor(private readonly api: ApiService) {}

  async handle(r: RequestInfo): Promise<Reply> {
    const def = kindOf(r.target);
    if (def.namespaced === false && r.target.namespace !== undefined) throw notFoundPath();
    const { name, subresource } = r.target;
    if (subresource) return this.subresource(r, def, name!, subresource);
    if (name === undefined) {
      if (r.method === 'GET') return r.query.get('watch') === 'true' || r.query.get('watch') === '1' ? this.watch(r, def) : this.list(r, def);
      if (r.method === 'POST') return this.create(r, def);
      throw methodNotAllowed(r.method, def.plural);
    }
    switch (r.method) {
      case 'GET':
        return this.get(r, def, name);
      case 'PUT':
        return this.replace(r, def, name);
      case 'PATCH':
        return this.patch(r, def, name);
      case 'DELETE':
        return this.delete(r, def, name);
      default:
        throw methodNotAllowed(r.method, `${def.plural}/${name}`);
    }
  }

  private async list(r: RequestInfo, def: KindDefinition): Promise<Reply> {
    const ns = r.target.namespace;
    const res = await this.api.list(r.caller, def.kind, { namespace: ns, allNamespaces: def.namespaced && ns === undefined, labelSelector: r.query.get('labelSelector') ?? undefined, fieldSelector: r.query.get('fieldSelector') ?? undefined });
    const items = res.items;
    if (wantsTable(r.req.headers.accept ?? '')) {
      return { code: 200, body: toTable(def, items, { includeObject: includeObject(r.query), resourceVersion: res.resourceVersion, now: Date.now() }) };
    }
    return { code: 200, body: { kind: `${def.kind}List`, apiVersion: def.apiVersion, metadata: { resourceVersion: res.resourceVersion }, items } };
  }

  private async get(r: RequestInfo, def: KindDefinition, name: string): Promise<Reply> {
    const obj = await this.api.get(r.caller, def.kind, r.target.namespace, name);
    if (wantsTable(r.req.headers.accept ?? '')) {
      return { code: 200, body: toTable(def, [obj], { includeObject: includeObject(r.query), resourceVersion: obj.metadata.resourceVersion ?? '', now: Date.now() }) };
    }
    return { code: 200, body: obj };
  }

  private async watch(r: RequestInfo, def: KindDefinition): Promise<Reply> {
    await streamWatch(this.api, r, def);
    return { streamed: true };
  }

  private async create(r: RequestInfo, def: KindDefinition): Promise<Reply> {
    const w = writeQuery(r.query, r.req.headers['user-agent']);
    requireJson(r.req);
    const body = bodyObject(parseObjectBody(r.req, await readBody(r.req)), def, r.target);
    const out = await this.api.create(r.caller, body, writeOptions(def, w));
    return { code: 201, body: out.object, warnings: out.warnings };
  }

  private async replace(r: RequestInfo, def: KindDefinition, name: string): Promise<Reply> {
    const w = writeQuery(r.query, r.req.headers['user-agent']);
    requireJson(r.req);
    const body = bodyObject(parseObjectBody(r.req, await readBody(r.req)), def, r.target);
    requireName(body, name);
    const out = await this.api.update(r.caller, withoutStatus(body), writeOptions(def, w));
    return { code: 200, body: out.object, warnings: out.warnings };
  }

  private async patch(r: RequestInfo, def: KindDefinition, name: string): Promise<Reply> {
    const w = writeQuery(r.query, r.req.headers['user-agent']);
    const type = contentType(r.req);
    if (!isApplyPatch(type) && !PATCH_CONTENT_TYPES.includes(type)) throw unsupportedMediaType(`the patch's Content-Type ${JSON.stringify(type)} is not supported; use one of ${[...PATCH_CONTENT_TYPES, APPLY_PATCH].join(', ')}`);
    const raw = await readBody(r.req);
    if (isApplyPatch(type)) return this.serverSideApply(r, def, name, w, parseYaml(raw));
    const patchBody = parseJson(raw, 'the patch');
    const out = await this.api.patch(r.caller, def.kind, r.target.namespace, name, (current) => applyPatch(type, def.kind, current!, patchBody), writeOptions(def, w));
    return { code: 200, body: out.object, warnings: out.warnings };
  }

  /** `kubectl apply --server-side`: the applier's whole intent; creates when absent. */
  private async serverSideApply(r: RequestInfo, def: KindDefinition, name: string, w: WriteQuery, rawConfig: unknown): Promise<Reply> {
    if (!r.query.has('fieldManager')) throw badRequest('fieldManager is required for apply requests');
    const config = bodyObject(rawConfig, def, r.target);
    requireName(config, name);
    // Dropped from the config itself, so that no manager comes to own a field the object cannot have.
    const stripped = withoutStatus(config);
    const { object: cleaned, warnings } = w.fieldValidation === 'Strict' ? { object: stripped, warnings: [] } : withoutUnknownFields(stripped, validateObject(stripped).errors, w.fieldValidation);
    const out = await this.api.patch(
      r.caller,
      def.kind,
      r.target.namespace,
      name,
      (live) => {
        const applied = serverSideApply({ kind: def.kind, live, config: cleaned as KObject, manager: w.fieldManager, force: w.force, now: rfc3339(Date.now()) });
        if (applied.conflicts.length) {
          const lines = applied.conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`);
          throw conflict(`Apply failed with ${lines.length} conflict${lines.length > 1 ? 's' : ''}: ${lines.join('; ')}`);
        }
        return applied.object!;
      },
      { dryRun: w.dryRun, createIfMissing: true },
    );
    return { code: out.created ? 201 : 200, body: out.object, warnings: [...warnings, ...out.warnings] };
  }

  private async delete(r: RequestInfo, def: KindDefinition, name: string): Promise<Reply> {
    const raw = await readBody(r.req);
    const opts = deleteOptions(raw.length ? parseJson(raw, 'the DeleteOptions body') : {}, r.query);
    const { object, removed } = await this.api.delete(r.caller, { kind: def.kind, namespace: r.target.namespace, name, ...opts });
    // Removed at once: a Success Status as Kubernetes answers; otherwise the object, now Terminating.
    const { group } = groupVersionOf(def);
    if (removed && def.kind !== 'Pod') return { code: 200, body: success({ name, ...(group ? { group } : {}), kind: def.plural }) };
    return { code: 200, body: object };
  }

  private async subresource(r: RequestInfo, def: KindDefinition, name: string, sub: string): Promise<Reply> {
    if (sub === 'status') return this.status(r, def, name);
    if (sub === 'scale' && SCALABLE.has(def.kind)) return this.scale(r, def, name);
    if (def.kind === 'Pod' && sub === 'eviction' && r.method === 'POST') return this.evict(r, name);
    if (def.kind === 'Pod' && sub === 'log' && r.method === 'GET') {
      await streamLogs(this.api, r, name);
      return { streamed: true };
    }
    if (def.kind === 'Pod' && (sub === 'exec' || sub === 'attach' || sub === 'portforward')) {
      throw badRequest(`${sub} needs a WebSocket upgrade (Upgrade: websocket, protocol v5.channel.k8s.io)`);
    }
    throw notFoundPath(`the server could not find the requested resource (${def.plural}/${sub})`);
  }

  private async status(r: RequestInfo, def: KindDefinition, name: string): Promise<Reply> {
    if (r.method === 'GET') return this.get(r, def, name);
    if (r.method !== 'PUT' && r.method !== 'PATCH') throw methodNotAllowed(r.method, `${def.plural}/status`);
    const type = r.method === 'PATCH' ? contentType(r.req) : '';
    const body = parseJson(await readBody(r.req));
    const current = await this.api.get(r.caller, def.kind, r.target.namespace, name);
    const next = r.method === 'PUT' ? bodyObject(body, def, r.target) : applyPatch(type, def.kind, current, body);
    requireName(next, name);
    const written = await this.api.updateStatus(r.caller, { ...current, status: next.status, metadata: { ...current.metadata, resourceVersion: next.metadata.resourceVersion ?? current.metadata.resourceVersion } });
    return { code: 200, body: written };
  }

  /** autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet: read it, or change spec.replicas through it. */
  private async scale(r: RequestInfo, def: KindDefinition, name: string): Promise<Reply> {
    const ns = r.target.namespace;
    if (r.method === 'GET') return { code: 200, body: scaleOf(await this.api.get(r.caller, def.kind, ns, name)) };
    if (r.method !== 'PUT' && r.method !== 'PATCH') throw methodNotAllowed(r.method, `${def.plural}/scale`);
    const w = writeQuery(r.query, r.req.headers['user-agent']);
    const type = r.method === 'PATCH' ? contentType(r.req) : '';
    if (isApplyPatch(type)) throw unsupportedMediaType('server-side apply of the scale subresource is not supported; patch spec.replicas');
    const body = parseJson(await readBody(r.req));
    const out = await this.api.patch(
      r.caller,
      def.kind,
      ns,
      name,
      (current) => {
        const scale = r.method === 'PUT' ? (body as KObject) : applyPatch(type, 'Scale', scaleOf(current!) as KObject, body);
        const replicas = (scale as { spec?: { replicas?: unknown } }).spec?.replicas;
        if (!Number.isInteger(replicas) || (replicas as number) < 0) throw invalid(`Scale "${name}" is invalid: spec.replicas: must be a non-negative integer`, [`spec.replicas: must be a non-negative integer`]);
        const rv = (scale as KObject).metadata?.resourceVersion;
        return { ...current!, metadata: { ...current!.metadata, ...(rv ? { resourceVersion: rv } : {}) }, spec: { ...(current!.spec as object), replicas } };
      },
      writeOptions(def, w),
    );
    return { code: 200, body: scaleOf(out.object) };
  }

  /** policy/v1 Eviction: Kite has no disruption budgets, so an eviction is a graceful delete. */
  private async evict(r: RequestInfo, name: string): Promise<Reply> {
    const body = parseJson(await readBody(r.req), 'the Eviction body') as { metadata?: { name?: unknown }; deleteOptions?: unknown };
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the Eviction body must be an object');
    if (body.metadata?.name !== undefined && body.metadata.name !== name) throw badRequest(`the Eviction names pod "${String(body.metadata.name)}" but was sent for pod "${name}"`);
    const opts = deleteOptions(body.deleteOptions ?? {}, r.query);
    await this.api.delete(r.caller, { kind: 'Pod', namespace: r.target.namespace, name, ...opts });
    return { code: 201, body: success() };
  }
}

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

function scaleOf(obj: KObject): unknown {
  const spec = obj.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = obj.status as { replicas?: number } | undefined;
  const labels = spec.selector?.matchLabels ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status?.replicas ?? 0, selector: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') },
  };
}

/** A create, replace or patch: dry run, unknown fields, and the writing manager's fields recorded (server-side apply records its own). */
function writeOptions(def: KindDefinition, w: WriteQuery): WriteOptions {
  return {
    dryRun: w.dryRun,
    fieldValidation: w.fieldValidation,
    stamp: (current, next) => recordUpdate({ kind: def.kind, before: current, after: next, manager: w.fieldManager, now: rfc3339(Date.now()) }),
  };
}

/** DeleteOptions from the body, overridden by query parameters (kubectl sends the body). */
function deleteOptions(raw: unknown, q: URLSearchParams): { gracePeriodSeconds?: number; propagationPolicy?: PropagationPolicy; dryRun?: boolean; resourceVersion?: string } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('DeleteOptions must be an object');
  const o = raw as { gracePeriodSeconds?: unknown; propagationPolicy?: unknown; orphanDependents?: unknown; dryRun?: unknown; preconditions?: { resourceVersion?: unknown } };
  const graceText = q.get('gracePeriodSeconds');
  const grace = graceText !== null ? Number(graceText) : o.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && (!Number.isInteger(grace) || (grace as number) < 0)) throw badRequest('gracePeriodSeconds: must be a non-negative integer');
  const policy = q.get('propagationPolicy') ?? o.propagationPolicy ?? (o.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && policy !== null && !PROPAGATION_POLICIES.includes(policy as PropagationPolicy)) {
    throw badRequest(`propagationPolicy: must be one of ${PROPAGATION_POLICIES.join(', ')}, not ${JSON.stringify(policy)}`);
  }
  const dry = q.getAll('dryRun').length > 0 || (Array.isArray(o.dryRun) && o.dryRun.includes('All'));
  const rv = o.preconditions?.resourceVersion;
  return {
    ...(typeof grace === 'number' ? { gracePeriodSeconds: grace } : {}),
    ...(policy ? { propagationPolicy: policy as PropagationPolicy } : {}),
    ...(dry ? { dryRun: true } : {}),
    ...(typeof rv === 'string' && rv ? { resourceVersion: rv } : {}),
  };
}

/** A written object as the path names it: kind and apiVersion filled in, the namespace the path's. */
function bodyObject(raw: unknown, def: KindDefinition, target: ResourcePath): KObject {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest(`the request body must be a ${def.kind} object`);
  const o = raw as KObject;
  if (o.kind !== undefined && o.kind !== def.kind) throw badRequest(`the body is a ${String(o.kind)} but the path names ${def.plural} (${def.kind})`);
  if (o.apiVersion !== undefined && o.apiVersion !== def.apiVersion) throw badRequest(`apiVersion ${JSON.stringify(o.apiVersion)} does not match the path (${def.apiVersion})`);
  const md = (o.metadata ?? {}) as KObject['metadata'];
  if (md === null || typeof md !== 'object' || Array.isArray(md)) throw badRequest('metadata must be an object');
  if (def.namespaced && md.namespace && target.namespace && md.namespace !== target.namespace) {
    throw badRequest(`the namespace of the provided object (${md.namespace}) does not match the namespace sent on the request (${target.namespace})`);
  }
  const { managedFields: _ignoredManagers, ...metadata } = md as KObject['metadata'] & { managedFields?: unknown };
  return { ...o, kind: def.kind, apiVersion: def.apiVersion, metadata: { ...metadata, ...(def.namespaced && target.namespace ? { namespace: target.namespace } : {}) } };
}

function requireName(obj: KObject, name: string): void {
  if (obj.metadata?.name !== undefined && obj.metadata.name !== name) throw badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${name})`);
  obj.metadata.name = name;
}

function withoutStatus(o: KObject): KObject {
  const { status: _status, ...rest } = o;
  return rest as KObject;
}

/** Objects come as JSON, or as Kubernetes' protobuf (kubectl's generator commands); others get 415. */
function requireJson(req: http.IncomingMessage): void {
  const type = contentType(req);
  if (type && type !== 'application/json' && type !== '*/*' && !isKubeProtobuf(type)) throw unsupportedMediaType(`the Content-Type ${JSON.stringify(type)} is not supported; Kite's API takes application/json or application/vnd.kubernetes.protobuf`);
}

/** A created or replaced object's body: decoded from protobuf when it says so, else JSON. */
function parseObjectBody(req: http.IncomingMessage, raw: Buffer): unknown {
  return isKubeProtobuf(contentType(req)) ? decodeKubeProtobuf(raw) : parseJson(raw);
}

function contentType(req: http.IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function includeObject(q: URLSearchParams): IncludeObjectPolicy {
  return parseIncludeObject(q.get('includeObject')) ?? 'Metadata';
}
