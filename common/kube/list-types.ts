// How Kubernetes merges each list field: by a key (a container list by `name`), as a set of
// primitives (finalizers), or as one atomic value (a container's `args`: a new list replaces the
// old). Strategic merge patch reads the patch merge key; server-side apply reads the list type
// and its map keys. The facts are Kubernetes' own `patchMergeKey`/`listMapKey` tags on the core
// types, for the kinds Kite has; any list not named here is atomic, as in Kubernetes.

export type ListType =
  | { type: 'map'; /** SMP's patchMergeKey: the first of keys. */ keys: readonly string[]; retainKeys?: boolean }
  | { type: 'set' }
  | { type: 'atomic' };

const ATOMIC: ListType = { type: 'atomic' };
const SET: ListType = { type: 'set' };
const byKey = (...keys: string[]): ListType => ({ type: 'map', keys });

/** Lists inside a pod spec, wherever the pod spec sits (a Pod, a template, a CronJob's job template). */
const POD_SPEC_LISTS: Record<string, ListType> = {
  containers: byKey('name'),
  initContainers: byKey('name'),
  ephemeralContainers: byKey('name'),
  volumes: { type: 'map', keys: ['name'], retainKeys: true },
  imagePullSecrets: byKey('name'),
  hostAliases: byKey('ip'),
  topologySpreadConstraints: byKey('topologyKey', 'whenUnsatisfiable'),
  schedulingGates: byKey('name'),
  resourceClaims: byKey('name'),
};

const CONTAINER_LISTS: Record<string, ListType> = {
  ports: byKey('containerPort', 'protocol'),
  env: byKey('name'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
  resizePolicy: ATOMIC,
};

const CONTAINER_LIST_NAMES = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Lists whose meaning does not depend on where they sit. */
const ANYWHERE: Record<string, ListType> = {
  finalizers: SET,
  ownerReferences: byKey('uid'),
  conditions: byKey('type'),
};

/**
 * The list type of the field at `path`: field names from the object's root, list items left out
 * (a Deployment's container env is `['spec', 'template', 'spec', 'containers', 'env']`).
 */
export function listTypeAt(kind: string, path: readonly string[]): ListType {
  const field = path[path.length - 1];
  if (field === undefined) return ATOMIC;
  const parent = path[path.length - 2];
  if (parent !== undefined && CONTAINER_LIST_NAMES.has(parent) && isPodSpecAt(kind, path.slice(0, -2))) return CONTAINER_LISTS[field] ?? ATOMIC;
  if (isPodSpecAt(kind, path.slice(0, -1)) && POD_SPEC_LISTS[field]) return POD_SPEC_LISTS[field];
  if (kind === 'Service' && path.length === 2 && path[0] === 'spec' && field === 'ports') return byKey('port', 'protocol');
  if (kind === 'Node' && path.length === 2 && path[0] === 'spec' && field === 'podCIDRs') return SET;
  if (kind === 'Node' && path.length === 2 && path[0] === 'status' && field === 'addresses') return byKey('type');
  return ANYWHERE[field] ?? ATOMIC;
}

/** Whether a map field takes `$retainKeys` (a Deployment's `strategy`, a pod's volumes). */
export function retainsKeys(kind: string, path: readonly string[]): boolean {
  const field = path[path.length - 1];
  if (field === 'strategy' && path.length === 2 && path[0] === 'spec' && kind === 'Deployment') return true;
  if (field === 'updateStrategy' && path.length === 2 && path[0] === 'spec' && (kind === 'DaemonSet' || kind === 'StatefulSet')) return true;
  return false;
}

/** Where a kind keeps pod specs: Pod `spec`, workloads `spec.template.spec`, CronJob one level deeper. */
function isPodSpecAt(kind: string, path: readonly string[]): boolean {
  const p = path.join('.');
  switch (kind) {
    case 'Pod':
      return p === 'spec';
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Job':
      return p === 'spec.template.spec';
    case 'CronJob':
      return p === 'spec.jobTemplate.spec.template.spec';
    default:
      return false;
  }
}
