// The Kubernetes API's discovery documents (/version, /api, /apis, /api/v1, /apis/G/V and the
// aggregated apidiscovery.k8s.io/v2 form), as pure functions of Kite's kind registry. kubectl
// resolves every resource name it is given (`deploy`, `pods/log`, `deployments/scale`) through
// these, so what they list is what kubectl can reach; the server answers them as they are.
import type { KindDefinition } from '../../common/kinds/kind';
import { KINDS } from '../../common/kinds/registry';

// ---- /version --------------------------------------------------------------------------------

/** The Kubernetes version Kite's API presents; kubectl warns when its own is more than one minor away. */
export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/**
 * The `/version` body. gitVersion must parse as semver (kubectl and the kubectl dispatcher read
 * it), so Kite's own version becomes the prerelease part: `0.1.0` → `v1.32.0-kite.0.1.0`.
 */
export function versionInfo(kiteVersion: string, buildDate = '1970-01-01T00:00:00Z'): VersionInfo {
  const pre = semverPrerelease(kiteVersion);
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: `v${KUBE_MAJOR}.${KUBE_MINOR}.0-kite${pre ? `.${pre}` : ''}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate,
    goVersion: '',
    compiler: 'kite',
    platform: 'linux/amd64',
  };
}

/**
 * Any text as dot-separated semver prerelease identifiers: only [0-9A-Za-z-] survive (others
 * become '-'), empty identifiers go, and numeric ones lose leading zeros (semver forbids them).
 */
function semverPrerelease(text: string): string {
  return text
    .replace(/[^0-9A-Za-z.-]/g, '-')
    .split('.')
    .filter((id) => id !== '')
    .map((id) => (/^\d+$/.test(id) ? String(BigInt(id)) : id))
    .join('.');
}

// ---- the resource model ------------------------------------------------------------------------

export interface GroupVersion {
  /** '' for the core group. */
  group: string;
  version: string;
}

/** `apps/v1` → {group: 'apps', version: 'v1'}; `v1` → {group: '', version: 'v1'}. */
export function groupVersionOf(def: Pick<KindDefinition, 'apiVersion'>): GroupVersion {
  const slash = def.apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: def.apiVersion } : { group: def.apiVersion.slice(0, slash), version: def.apiVersion.slice(slash + 1) };
}

/** `apps/v1`, or `v1` for the core group. */
export function groupVersionString(gv: GroupVersion): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

const KINDS_BY_RESOURCE = new Map<string, KindDefinition>(KINDS.map((def) => [resourceKey(groupVersionOf(def), def.plural), def]));

function resourceKey(gv: GroupVersion, resource: string): string {
  return `${gv.group}/${gv.version}/${resource}`;
}

/** The kind served at `/apis/GROUP/VERSION/.../RESOURCE` (RESOURCE is the plural, as in paths). */
export function resolveResource(group: string, version: string, resource: string): KindDefinition | undefined {
  return KINDS_BY_RESOURCE.get(resourceKey({ group, version }, resource));
}

/** What a server does with a resource; deletecollection is left out because Kite's API has none. */
const RESOURCE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] as const;
const STATUS_VERBS = ['get', 'patch', 'update'] as const;

/** Kubernetes' `all` category (`kubectl get all`), for the kinds Kite has. */
const ALL_CATEGORY = new Set(['pods', 'services', 'deployments', 'replicasets', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs']);

/** Kinds with a scale subresource, answered as an autoscaling/v1 Scale (`kubectl scale`). */
const SCALABLE = new Set(['deployments', 'replicasets', 'statefulsets']);

export interface SubresourceInfo {
  /** `log`, `scale`, ... (the part after the slash). */
  name: string;
  /** The kind of the request/response body; its group version when it is not the parent's. */
  kind: string;
  group?: string;
  version?: string;
  verbs: readonly string[];
}

export interface ResourceInfo {
  /** The plural, as in paths. */
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: readonly string[];
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly SubresourceInfo[];
}

export interface GroupVersionResources extends GroupVersion {
  resources: readonly ResourceInfo[];
}

/** The subresources of a kind as Kubernetes names them, for what Kite serves. */
export function subresourcesOf(def: KindDefinition): SubresourceInfo[] {
  const subs: SubresourceInfo[] = [];
  if (def.plural === 'pods') {
    subs.push(
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    );
  }
  if (SCALABLE.has(def.plural)) subs.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: STATUS_VERBS });
  // A kind has a status subresource when the system writes a status (updateStatus).
  if (Object.prototype.hasOwnProperty.call(def.schema.fields, 'status')) subs.push({ name: 'status', kind: def.kind, verbs: STATUS_VERBS });
  return subs.sort((a, b) => a.name.localeCompare(b.name));
}

function resourceInfoOf(def: KindDefinition): ResourceInfo {
  return {
    name: def.plural,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: RESOURCE_VERBS,
    shortNames: def.shortNames,
    categories: ALL_CATEGORY.has(def.plural) ? ['all'] : [],
    subresources: subresourcesOf(def),
  };
}

/** metrics.k8s.io/v1beta1: node and pod usage (`kubectl top`), read-only and not in the registry. */
export const METRICS_GROUP_VERSION: GroupVersionResources = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  resources: [
    { name: 'nodes', singularName: 'nodemetrics', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'], shortNames: [], categories: [], subresources: [] },
    { name: 'pods', singularName: 'podmetrics', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'], shortNames: [], categories: [], subresources: [] },
  ],
};

/**
 * Every group version Kite serves, core first, then the named groups in registry order, then
 * metrics. Clients that meet the same resource name in two groups (`pods` in core and metrics)
 * prefer the earlier group, as with a real cluster.
 */
function buildGroupVersions(): GroupVersionResources[] {
  const byGv = new Map<string, { gv: GroupVersion; resources: ResourceInfo[] }>();
  for (const def of KINDS) {
    const gv = groupVersionOf(def);
    const key = groupVersionString(gv);
    let entry = byGv.get(key);
    if (!entry) {
      entry = { gv, resources: [] };
      byGv.set(key, entry);
    }
    entry.resources.push(resourceInfoOf(def));
  }
  const list = [...byGv.values()].map(({ gv, resources }) => ({ ...gv, resources }));
  const core = list.filter((g) => g.group === '');
  const named = list.filter((g) => g.group !== '');
  return [...core, ...named, METRICS_GROUP_VERSION];
}

const GROUP_VERSIONS: readonly GroupVersionResources[] = buildGroupVersions();

/** All served group versions (core first, metrics last). */
export function servedGroupVersions(): readonly GroupVersionResources[] {
  return GROUP_VERSIONS;
}

function findGroupVersion(group: string, version: string): GroupVersionResources | undefined {
  return GROUP_VERSIONS.find((g) => g.group === group && g.version === version);
}

// ---- legacy discovery (/api, /apis, /api/v1, /apis/G/V) ---------------------------------------------

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[];
}

/** `/api`: the core group's versions. */
export function apiVersions(serverAddress = ''): APIVersions {
  return { kind: 'APIVersions', versions: GROUP_VERSIONS.filter((g) => g.group === '').map((g) => g.version), serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

function namedGroups(): APIGroup[] {
  const groups: APIGroup[] = [];
  for (const gv of GROUP_VERSIONS) {
    if (gv.group === '') continue;
    const version = { groupVersion: groupVersionString(gv), version: gv.version };
    const existing = groups.find((g) => g.name === gv.group);
    if (existing) existing.versions.push(version);
    else groups.push({ name: gv.group, versions: [version], preferredVersion: version });
  }
  return groups;
}

/** `/apis`: the named groups (the core group is only under /api). */
export function apiGroupList(): APIGroupList {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: namedGroups() };
}

/** `/apis/GROUP`, or undefined for a group Kite does not serve. */
export function groupOf(name: string): (APIGroup & { kind: 'APIGroup'; apiVersion: 'v1' }) | undefined {
  const group = namedGroups().find((g) => g.name === name);
  return group && { kind: 'APIGroup', apiVersion: 'v1', ...group };
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

/**
 * `/api/v1` or `/apis/GROUP/VERSION`: every resource, then its subresources as `pods/log`
 * entries (a subresource in another group, like `deployments/scale`, names its group and version).
 * Undefined for a group version Kite does not serve.
 */
export function apiResourceList(group: string, version: string): APIResourceList | undefined {
  const gv = findGroupVersion(group, version);
  if (!gv) return undefined;
  const resources: APIResource[] = [];
  for (const r of gv.resources) {
    resources.push({
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs],
      ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
      ...(r.categories.length ? { categories: [...r.categories] } : {}),
    });
    for (const s of r.subresources) {
      resources.push({
        name: `${r.name}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: [...s.verbs],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersionString(gv), resources };
}

// ---- aggregated discovery (apidiscovery.k8s.io/v2) ------------------------------------------------

/** The Content-Type an aggregated discovery answer must carry, or kubectl reads it as legacy discovery. */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface GroupVersionKindRef {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKindRef;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKindRef;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current';
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: 'apidiscovery.k8s.io/v2';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function resourceDiscovery(gv: GroupVersion, r: ResourceInfo): APIResourceDiscovery {
  return {
    resource: r.name,
    responseKind: { group: gv.group, version: gv.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singularName,
    verbs: [...r.verbs],
    ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
    ...(r.categories.length ? { categories: [...r.categories] } : {}),
    // client-go refuses a subresource without a responseKind, so every one names its full GVK.
    ...(r.subresources.length
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? gv.group, version: s.version ?? gv.version, kind: s.kind },
            verbs: [...s.verbs],
          })),
        }
      : {}),
  };
}

/**
 * The aggregated discovery document for `/api` (the core group) or `/apis` (all named groups):
 * groups, versions, resources and subresources in one answer, so kubectl needs no further
 * discovery request. Serve it with AGGREGATED_DISCOVERY_CONTENT_TYPE when wantsAggregated().
 */
export function aggregatedDiscovery(which: 'api' | 'apis'): APIGroupDiscoveryList {
  const items: APIGroupDiscovery[] = [];
  for (const gv of GROUP_VERSIONS) {
    if ((gv.group === '') !== (which === 'api')) continue;
    const version: APIVersionDiscovery = { version: gv.version, resources: gv.resources.map((r) => resourceDiscovery(gv, r)), freshness: 'Current' };
    const existing = items.find((g) => (g.metadata.name ?? '') === gv.group);
    if (existing) existing.versions.push(version);
    else items.push({ metadata: { ...(gv.group ? { name: gv.group } : {}), creationTimestamp: null }, versions: [version] });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

// ---- content negotiation ---------------------------------------------------------------------------

export interface MediaRange {
  /** `application/json`, `*\/*`, ... lower-cased. */
  type: string;
  /** Parameters other than q, keys lower-cased (`as`, `g`, `v`). */
  params: Record<string, string>;
  q: number;
}

/**
 * An Accept header's media ranges, most preferred first (by q, then by the order given, as
 * Kubernetes' negotiation does). A missing or empty header accepts anything.
 */
export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept || !accept.trim()) return [{ type: '*/*', params: {}, q: 1 }];
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [rawType, ...rawParams] = part.split(';');
    const type = (rawType ?? '').trim().toLowerCase();
    if (!type) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'q') {
        const n = Number(value);
        q = Number.isFinite(n) ? n : 0;
      } else {
        params[key] = value;
      }
    }
    if (q > 0) ranges.push({ type, params, q });
  }
  // Array.prototype.sort is stable, so equal q keeps the client's order.
  return ranges.sort((a, b) => b.q - a.q);
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

/**
 * Whether the client's most preferred media range that this server can produce asks for the
 * object transformed into `as` (g/v), rather than as plain JSON. Ranges for transformations
 * the server does not produce (another version, protobuf) are passed over.
 */
export function prefersTransform(accept: string | undefined, as: { kind: string; group: string; version: string }): boolean {
  for (const r of parseAccept(accept)) {
    if (!JSON_TYPES.has(r.type)) continue;
    if (r.params.as === undefined) return false;
    if (r.type === 'application/json' && r.params.as === as.kind && r.params.g === as.group && r.params.v === as.version) return true;
  }
  return false;
}

/** Whether `/api` or `/apis` should be answered with aggregatedDiscovery(). */
export function wantsAggregated(accept: string | undefined): boolean {
  return prefersTransform(accept, { kind: 'APIGroupDiscoveryList', group: 'apidiscovery.k8s.io', version: 'v2' });
}
