// The OpenAPI v3 documents of Kite's Kubernetes API, generated from the kinds' own validation
// schemas (common/kinds/). kubectl reads them for three things:
//  - field validation: a PATCH operation of a kind with a `fieldValidation` query parameter tells
//    kubectl the server validates, so `kubectl apply` sends fieldValidation=Strict and does not
//    validate itself (without any OpenAPI it refuses: "failed to download openapi");
//  - `kubectl explain`: the kind's schema, found through the GVK on its component schema;
//  - client-side apply's strategic merge patch, but only when the PATCH operation accepts
//    `application/strategic-merge-patch+json`. Ours does not say so, on purpose: kubectl then
//    builds the patch from its compiled-in Kubernetes types, which know every field of these
//    kinds (Kite's schemas leave out the fields Kite ignores, and kubectl's OpenAPI patch
//    builder fails on a field it cannot find). The server still accepts strategic merge patches.
// OpenAPI v2 is not served (404): kubectl then falls back to its built-in types.
import { createHash } from 'node:crypto';
import { type ListType, listTypeAt, retainsKeys } from '../../common/kube/list-types';
import type { KindDefinition } from '../../common/kinds/kind';
import { KINDS } from '../../common/kinds/registry';
import { labelSelector, metadata, ownerReference } from '../../common/manifest/fields';
import { noEffectMessage } from '../../common/manifest/no-effect';
import {
  affinity, container, containerPort, envFrom, envVar, keyToPath, lifecycle, nodeSelectorTerm, podAffinityTerm, podSecurityContext, podSpec, podTemplate,
  probe, resources, seccompProfile, securityContext, sysctl, toleration, topologySpreadConstraint, volume, volumeMount,
} from '../../common/manifest/pod-fields';
import type { Schema } from '../../common/manifest/schema';
import { type GroupVersion, groupVersionOf, groupVersionString, subresourcesOf } from './discovery';

export type OpenApiSchema = { [key: string]: unknown };

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, OpenApiSchema>;
  components: { schemas: Record<string, OpenApiSchema> };
}

export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

// ---- names -------------------------------------------------------------------------------------

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CORE = 'io.k8s.api.core.v1';

/**
 * Shared schemas get a component of their own under Kubernetes' name, so `kubectl explain`
 * prints `<PodSpec>` rather than `<Object>` and each document holds a pod spec once.
 */
const NAMED_SCHEMAS: ReadonlyMap<Schema, string> = new Map<Schema, string>([
  [metadata, `${META}.ObjectMeta`],
  [labelSelector, `${META}.LabelSelector`],
  [ownerReference, `${META}.OwnerReference`],
  [podTemplate, `${CORE}.PodTemplateSpec`],
  [podSpec, `${CORE}.PodSpec`],
  [container, `${CORE}.Container`],
  [containerPort, `${CORE}.ContainerPort`],
  [envVar, `${CORE}.EnvVar`],
  [envFrom, `${CORE}.EnvFromSource`],
  [resources, `${CORE}.ResourceRequirements`],
  [volumeMount, `${CORE}.VolumeMount`],
  [probe, `${CORE}.Probe`],
  [lifecycle, `${CORE}.Lifecycle`],
  [securityContext, `${CORE}.SecurityContext`],
  [podSecurityContext, `${CORE}.PodSecurityContext`],
  [seccompProfile, `${CORE}.SeccompProfile`],
  [sysctl, `${CORE}.Sysctl`],
  [volume, `${CORE}.Volume`],
  [keyToPath, `${CORE}.KeyToPath`],
  [toleration, `${CORE}.Toleration`],
  [affinity, `${CORE}.Affinity`],
  [nodeSelectorTerm, `${CORE}.NodeSelectorTerm`],
  [podAffinityTerm, `${CORE}.PodAffinityTerm`],
  [topologySpreadConstraint, `${CORE}.TopologySpreadConstraint`],
]);

/** `apps` → `apps`, `storage.k8s.io` → `storage`, core → `core`: Kubernetes' Go package of a group. */
function packageOf(group: string): string {
  return group === '' ? 'core' : (group.split('.')[0] as string);
}

/** Kubernetes' schema name of a kind: `io.k8s.api.apps.v1.Deployment`. */
export function schemaNameOf(gv: GroupVersion, kind: string): string {
  return `io.k8s.api.${packageOf(gv.group)}.${gv.version}.${kind}`;
}

/** The index key and URL path of a group version's document: `api/v1`, `apis/apps/v1`. */
export function openApiPathOf(gv: GroupVersion): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

const ref = (name: string): OpenApiSchema => ({ $ref: `#/components/schemas/${name}` });
const gvk = (gv: GroupVersion, kind: string) => ({ group: gv.group, kind, version: gv.version });

// ---- schemas -------------------------------------------------------------------------------------

/** Builds one document's components: each named schema once, on first use. */
class SchemaBuilder {
  readonly schemas: Record<string, OpenApiSchema> = {};
  /** The kind being converted: where lists sit decides how they merge (list-types.ts). */
  kind = '';

  /** A component by name, made by `make` the first time. */
  component(name: string, make: () => OpenApiSchema): OpenApiSchema {
    if (!(name in this.schemas)) {
      this.schemas[name] = {}; // reserved first, so a schema that contains itself ends
      this.schemas[name] = make();
    }
    return ref(name);
  }

  /** `s` at `path` (field names from the object's root, list items left out). */
  convert(s: Schema, path: readonly string[]): OpenApiSchema {
    const named = NAMED_SCHEMAS.get(s);
    if (named) return this.component(named, () => this.convertUnnamed(s, path));
    return this.convertUnnamed(s, path);
  }

  private convertUnnamed(s: Schema, path: readonly string[]): OpenApiSchema {
    switch (s.t) {
      case 'string':
        return { type: 'string', ...(s.enum ? { enum: [...s.enum] } : {}) };
      case 'int':
        return { type: 'integer', ...(s.min !== undefined ? { minimum: s.min } : {}), ...(s.max !== undefined ? { maximum: s.max } : {}) };
      case 'bool':
        return { type: 'boolean' };
      case 'intOrString':
        return this.component('io.k8s.apimachinery.pkg.util.intstr.IntOrString', () => ({ type: 'string', format: 'int-or-string', description: 'an integer or a string' }));
      case 'quantity':
        return this.component('io.k8s.apimachinery.pkg.api.resource.Quantity', () => ({ type: 'string', description: 'a quantity such as "500m" or "128Mi"' }));
      case 'array':
        return { type: 'array', items: this.convert(s.items, path), ...listExtensions(listTypeAt(this.kind, path)) };
      case 'map':
        return { type: 'object', additionalProperties: this.convert(s.values, [...path, '*']) };
      case 'object': {
        const properties: Record<string, OpenApiSchema> = {};
        for (const [key, field] of Object.entries(s.fields)) properties[key] = this.property(field, [...path, key]);
        // Real Kubernetes fields Kite accepts and ignores: listed, so explain shows why.
        for (const key of [...(s.unsupported ?? [])].sort()) properties[key] ??= { description: noEffectMessage(key) };
        return { type: 'object', ...(s.required?.length ? { required: [...s.required] } : {}), properties };
      }
      case 'any':
        return { 'x-kubernetes-preserve-unknown-fields': true };
      case 'anyObject':
        return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
  }

  /** A field's schema with how its position merges (a Deployment's strategy keeps only the keys given). */
  private property(field: Schema, path: readonly string[]): OpenApiSchema {
    const schema = this.convert(field, path);
    if (field.t !== 'object' || !retainsKeys(this.kind, path)) return schema;
    const strategy = { 'x-kubernetes-patch-strategy': 'retainKeys' };
    return '$ref' in schema ? { allOf: [schema], ...strategy } : { ...schema, ...strategy };
  }
}

/** A list's merge facts as Kubernetes publishes them, for server-side apply and strategic merge. */
function listExtensions(t: ListType): OpenApiSchema {
  switch (t.type) {
    case 'map':
      return {
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': [...t.keys],
        'x-kubernetes-patch-merge-key': t.keys[0],
        'x-kubernetes-patch-strategy': t.retainKeys ? 'merge,retainKeys' : 'merge',
      };
    case 'set':
      return { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' };
    case 'atomic':
      return { 'x-kubernetes-list-type': 'atomic' };
  }
}

const listMeta = (): OpenApiSchema => ({
  type: 'object',
  properties: { continue: { type: 'string' }, remainingItemCount: { type: 'integer' }, resourceVersion: { type: 'string' }, selfLink: { type: 'string' } },
});

const typeMeta = { apiVersion: { type: 'string' }, kind: { type: 'string' } };

// ---- paths ---------------------------------------------------------------------------------------

const queryParam = (name: string, type: 'string' | 'boolean' | 'integer', description: string): OpenApiSchema => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});

const DRY_RUN = queryParam('dryRun', 'string', 'When present (All), the change is checked but not persisted.');
const FIELD_MANAGER = queryParam('fieldManager', 'string', 'The name of the actor making the change.');
// kubectl looks for this parameter on a kind's PATCH operation to learn that the server validates.
const FIELD_VALIDATION = queryParam('fieldValidation', 'string', 'Ignore, Warn or Strict: what to do with unknown or duplicate fields.');
const FORCE = queryParam('force', 'boolean', 'Server-side apply: take over fields other managers own.');
const PATCH_PARAMS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE];
/**
 * Patch types the server takes, as listed to kubectl; strategic merge is left out on purpose (see
 * the top of this file).
 */
const PATCH_CONTENT_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

interface Target {
  gv: GroupVersion;
  /** The schema name of the body and the response. */
  schema: string;
  gvk: { group: string; kind: string; version: string };
}

const jsonContent = (schema: OpenApiSchema) => ({ 'application/json': { schema } });

/** Kubernetes' operationId prefix: `CoreV1`, `AppsV1`, `StorageV1`. */
function operationPrefix(gv: GroupVersion): string {
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return cap(packageOf(gv.group)) + cap(gv.version);
}

function operation(id: string, action: string, t: Target, parameters: OpenApiSchema[], extra: OpenApiSchema = {}): OpenApiSchema {
  return {
    operationId: id,
    description: '',
    parameters,
    ...extra,
    responses: { '200': { description: 'OK', content: jsonContent(ref(t.schema)) } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': t.gvk,
  };
}

const patchBody = (b: SchemaBuilder) => {
  const patch = b.component(`${META}.Patch`, () => ({ type: 'object', description: 'A patch in one of the accepted patch formats.' }));
  return { requestBody: { required: true, content: Object.fromEntries(PATCH_CONTENT_TYPES.map((c) => [c, { schema: patch }])) } };
};

/**
 * Only what kubectl reads: one PATCH operation per object (and per scalable object's scale), with
 * its group-version-kind and `fieldValidation` parameter. kubectl re-reads the whole document for
 * every object it applies (kubernetes/kubectl#1682), so every path left out is time saved: listing
 * GET, POST, PUT and DELETE too made `kubectl apply` of 1,000 objects about 40% slower.
 */
function addKindPaths(b: SchemaBuilder, paths: Record<string, OpenApiSchema>, def: KindDefinition): void {
  const gv = groupVersionOf(def);
  const prefix = `/${openApiPathOf(gv)}`;
  const opPrefix = operationPrefix(gv);
  const scoped = def.namespaced ? 'Namespaced' : '';
  const self: Target = { gv, schema: schemaNameOf(gv, def.kind), gvk: gvk(gv, def.kind) };
  const collection = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.plural}` : `${prefix}/${def.plural}`;
  paths[`${collection}/{name}`] = { patch: operation(`patch${opPrefix}${scoped}${def.kind}`, 'patch', self, PATCH_PARAMS, patchBody(b)) };

  for (const sub of subresourcesOf(def)) {
    const subGv = { group: sub.group ?? gv.group, version: sub.version ?? gv.version };
    // Their schemas serve `kubectl explain`; only scale is patched.
    if (sub.name === 'scale') {
      const name = schemaNameOf(subGv, 'Scale');
      b.component(name, () => scaleSchema(b, subGv));
      const subId = `${opPrefix}${scoped}${def.kind}Scale`;
      paths[`${collection}/{name}/scale`] = { patch: operation(`patch${subId}`, 'patch', { gv: subGv, schema: name, gvk: gvk(subGv, 'Scale') }, PATCH_PARAMS, patchBody(b)) };
    } else if (sub.name === 'eviction') {
      b.component(schemaNameOf(subGv, 'Eviction'), () => evictionSchema(b, subGv));
    }
  }
}

function scaleSchema(b: SchemaBuilder, gv: GroupVersion): OpenApiSchema {
  return {
    description: 'The desired and current replica count of a scalable object.',
    type: 'object',
    properties: {
      ...typeMeta,
      metadata: b.convert(metadata, ['metadata']),
      spec: { type: 'object', properties: { replicas: { type: 'integer', minimum: 0 } } },
      status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } }, required: ['replicas'] },
    },
    'x-kubernetes-group-version-kind': [gvk(gv, 'Scale')],
  };
}

const deleteOptions = (): OpenApiSchema => ({
  type: 'object',
  properties: {
    ...typeMeta,
    dryRun: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
    gracePeriodSeconds: { type: 'integer' },
    propagationPolicy: { type: 'string', enum: ['Orphan', 'Background', 'Foreground'] },
    preconditions: { type: 'object', properties: { resourceVersion: { type: 'string' }, uid: { type: 'string' } } },
  },
});

function evictionSchema(b: SchemaBuilder, gv: GroupVersion): OpenApiSchema {
  return {
    description: 'Evicts a pod, as kubectl drain does.',
    type: 'object',
    properties: { ...typeMeta, metadata: b.convert(metadata, ['metadata']), deleteOptions: b.component(`${META}.DeleteOptions`, deleteOptions) },
    'x-kubernetes-group-version-kind': [gvk(gv, 'Eviction')],
  };
}

// ---- documents -------------------------------------------------------------------------------------

/** The OpenAPI v3 document of one group version, from `kinds` (those of other group versions are skipped). */
export function buildOpenApiV3Document(kinds: readonly KindDefinition[], gv: GroupVersion): OpenApiDocument | undefined {
  const members = kinds.filter((k) => groupVersionString(groupVersionOf(k)) === groupVersionString(gv));
  if (members.length === 0) return undefined;
  const paths: Record<string, OpenApiSchema> = {};
  // Named components come out the same from every kind that has them (a pod spec's lists merge
  // alike wherever it sits), so the first one made serves them all.
  const b = new SchemaBuilder();
  for (const def of members) {
    b.kind = def.kind;
    const name = schemaNameOf(gv, def.kind);
    b.schemas[name] = { description: '', ...b.convert(def.schema, []), 'x-kubernetes-group-version-kind': [gvk(gv, def.kind)] };
    b.schemas[schemaNameOf(gv, `${def.kind}List`)] = {
      description: '',
      type: 'object',
      required: ['items'],
      properties: { ...typeMeta, items: { type: 'array', items: ref(name) }, metadata: b.component(`${META}.ListMeta`, listMeta) },
      'x-kubernetes-group-version-kind': [gvk(gv, `${def.kind}List`)],
    };
    addKindPaths(b, paths, def);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: { schemas: Object.fromEntries(Object.entries(b.schemas).sort(([a], [b]) => a.localeCompare(b))) },
  };
}

/** A document's hash: kubectl caches a document by the URL that carries it, so it changes with every change. */
export function documentHash(doc: OpenApiDocument): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

interface Built {
  doc: OpenApiDocument;
  hash: string;
}

let built: Map<string, Built> | undefined;

/** The documents of every group version of the registry, by index key (`api/v1`), made once. */
function documents(): Map<string, Built> {
  if (built) return built;
  built = new Map();
  const seen = new Set<string>();
  for (const def of KINDS) {
    const gv = groupVersionOf(def);
    const key = openApiPathOf(gv);
    if (seen.has(key)) continue;
    seen.add(key);
    const doc = buildOpenApiV3Document(KINDS, gv) as OpenApiDocument;
    built.set(key, { doc, hash: documentHash(doc) });
  }
  return built;
}

/** `/openapi/v3`: each group version's document and the URL (with its hash) to fetch it from. */
export function openApiV3Index(): OpenApiV3Index {
  const paths: OpenApiV3Index['paths'] = {};
  for (const [key, { hash }] of documents()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  return { paths };
}

/**
 * `/openapi/v3/<groupVersion>`: `groupVersion` as in the URL (`api/v1`, `apis/apps/v1`) or as an
 * apiVersion (`v1`, `apps/v1`). Undefined for a group version without a document. The same object
 * is returned every time: do not change it.
 */
export function openApiV3Document(groupVersion: string): OpenApiDocument | undefined {
  return documents().get(indexKeyOf(groupVersion))?.doc;
}

/** The hash openApiV3Index() names for a group version's document. */
export function openApiV3Hash(groupVersion: string): string | undefined {
  return documents().get(indexKeyOf(groupVersion))?.hash;
}

function indexKeyOf(groupVersion: string): string {
  const gv = groupVersion.replace(/^\/+|\/+$/g, '');
  if (gv.startsWith('api/') || gv.startsWith('apis/')) return gv;
  return openApiPathOf(groupVersionOf({ apiVersion: gv }));
}

/** `/openapi/v2` is not served: the server answers 404, and kubectl falls back to its built-in types. */
export function openApiV2Document(): undefined {
  return undefined;
}
