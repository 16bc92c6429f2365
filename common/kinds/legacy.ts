// Kinds and apiVersions Kubernetes no longer serves (or Kite never will), which real manifests
// still carry: refused with the current apiVersion/kind to use instead of a bare "unknown".

/** What to use instead of a legacy apiVersion/kind, as `apps/v1 Deployment`. */
interface Replacement {
  apiVersion: string;
  kind: string;
}

const APPS_WORKLOADS = ['Deployment', 'DaemonSet', 'ReplicaSet'];

/** `apiVersion kind` pairs no longer served, and their replacement. */
const LEGACY_VERSIONS: ReadonlyMap<string, Replacement> = new Map([
  ...['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'].flatMap((v) =>
    APPS_WORKLOADS.map((kind): [string, Replacement] => [`${v} ${kind}`, { apiVersion: 'apps/v1', kind }]),
  ),
  ...['batch/v1beta1', 'batch/v2alpha1'].map((v): [string, Replacement] => [`${v} CronJob`, { apiVersion: 'batch/v1', kind: 'CronJob' }]),
]);

/** Kinds Kite does not implement at any version because a newer kind replaced them. */
const LEGACY_KINDS: ReadonlyMap<string, Replacement> = new Map([['ReplicationController', { apiVersion: 'apps/v1', kind: 'Deployment' }]]);

/** A problem with the field it concerns, as validation reports it. */
export interface LegacyKindIssue {
  path: 'apiVersion' | 'kind';
  message: string;
}

/**
 * The refusal for a legacy apiVersion/kind, naming what to use instead; undefined for anything
 * else (including current versions and kinds that are simply unknown).
 */
export function legacyKindIssue(apiVersion: unknown, kind: string): LegacyKindIssue | undefined {
  const byKind = LEGACY_KINDS.get(kind);
  if (byKind) return { path: 'kind', message: `${kind} is a legacy kind Kite does not serve; use ${byKind.apiVersion} ${byKind.kind}` };
  if (typeof apiVersion !== 'string') return undefined;
  const byVersion = LEGACY_VERSIONS.get(`${apiVersion} ${kind}`);
  if (byVersion) return { path: 'apiVersion', message: `${apiVersion} ${kind} is no longer served; use ${byVersion.apiVersion} ${byVersion.kind}` };
  return undefined;
}
