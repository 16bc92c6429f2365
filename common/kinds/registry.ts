// Every kind Kite knows. Adding a kind: write its module (see kind.ts) and add one line below.
import { invalid } from '../errors';
import { configMapKind } from './configmap';
import { cronJobKind } from './cronjob';
import { daemonSetKind } from './daemonset';
import { deploymentKind } from './deployment';
import { endpointsKind } from './endpoints';
import { eventKind } from './event';
import { jobKind } from './job';
import type { KindDefinition } from './kind';
import { namespaceKind } from './namespace';
import { persistentVolumeKind } from './persistentvolume';
import { persistentVolumeClaimKind } from './persistentvolumeclaim';
import { nodeKind } from './node';
import { podKind } from './pod';
import { replicaSetKind } from './replicaset';
import { secretKind } from './secret';
import { serviceKind } from './service';
import { serviceAccountKind } from './serviceaccount';
import { statefulSetKind } from './statefulset';
import { storageClassKind } from './storageclass';

// The order is the order `kite api-resources`-like listings and "supported kinds" messages use.
export const KINDS: readonly KindDefinition[] = [
  podKind,
  deploymentKind,
  replicaSetKind,
  daemonSetKind,
  statefulSetKind,
  jobKind,
  cronJobKind,
  serviceKind,
  endpointsKind,
  configMapKind,
  secretKind,
  serviceAccountKind,
  persistentVolumeClaimKind,
  persistentVolumeKind,
  storageClassKind,
  namespaceKind,
  nodeKind,
  eventKind,
];

/** The identity part of a definition, for code that only needs names and scope. */
export type KindInfo = Pick<KindDefinition, 'kind' | 'apiVersion' | 'plural' | 'singular' | 'shortNames' | 'namespaced' | 'systemOwned'>;

/** Namespace of a namespaced object whose manifest names none. */
export const DEFAULT_NAMESPACE = 'default';

const byKind = new Map<string, KindDefinition>(KINDS.map((k) => [k.kind, k]));
const byName = new Map<string, KindDefinition>();
for (const k of KINDS) {
  for (const n of [k.kind.toLowerCase(), k.plural, k.singular, ...k.shortNames]) byName.set(n, k);
}

/** Resolves what a user typed (`deploy`, `Deployment`, `deployments`) to a kind, or undefined. */
export function lookupKind(name: string): KindDefinition | undefined {
  return byName.get(name.toLowerCase());
}

/** The definition of a kind by its exact name (`Deployment`), or undefined. */
export function kindDefinition(kind: string): KindDefinition | undefined {
  return byKind.get(kind);
}

/** Same as kindDefinition; the name reads better where only identity and scope are used. */
export const kindInfo: (kind: string) => KindDefinition | undefined = kindDefinition;

/** The definition of a kind, or an Invalid error `unknown kind "X"`. */
export function requireKind(kind: string): KindDefinition {
  const def = byKind.get(kind);
  if (!def) throw invalid(`unknown kind ${JSON.stringify(kind)}`);
  return def;
}
