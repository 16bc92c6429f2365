// The kind registry: every resource Kite knows, its apiVersion, plural, short names and scope.

export interface KindInfo {
  kind: string;
  apiVersion: string;
  /** Lower-case plural, used in store keys and as a CLI name. */
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** Written by the system, not by users' manifests. */
  systemOwned?: boolean;
}

export const KINDS: readonly KindInfo[] = [
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', singular: 'pod', shortNames: ['po'], namespaced: true },
  { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments', singular: 'deployment', shortNames: ['deploy'], namespaced: true },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'], namespaced: true },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', plural: 'daemonsets', singular: 'daemonset', shortNames: ['ds'], namespaced: true },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', singular: 'job', shortNames: [], namespaced: true },
  { kind: 'Service', apiVersion: 'v1', plural: 'services', singular: 'service', shortNames: ['svc'], namespaced: true },
  { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', singular: 'configmap', shortNames: ['cm'], namespaced: true },
  { kind: 'Secret', apiVersion: 'v1', plural: 'secrets', singular: 'secret', shortNames: [], namespaced: true },
  { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', singular: 'namespace', shortNames: ['ns'], namespaced: false },
  { kind: 'Node', apiVersion: 'v1', plural: 'nodes', singular: 'node', shortNames: ['no'], namespaced: false, systemOwned: true },
  { kind: 'Event', apiVersion: 'v1', plural: 'events', singular: 'event', shortNames: ['ev'], namespaced: true, systemOwned: true },
];

const byName = new Map<string, KindInfo>();
for (const k of KINDS) {
  for (const n of [k.kind.toLowerCase(), k.plural, k.singular, ...k.shortNames]) byName.set(n, k);
}

/** Resolves what a user typed (`deploy`, `Deployment`, `deployments`) to a kind, or undefined. */
export function lookupKind(name: string): KindInfo | undefined {
  return byName.get(name.toLowerCase());
}

export function kindInfo(kind: string): KindInfo | undefined {
  return KINDS.find((k) => k.kind === kind);
}

export const DEFAULT_NAMESPACE = 'default';
