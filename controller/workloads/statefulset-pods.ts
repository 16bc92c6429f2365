// A StatefulSet pod's identity (Kubernetes' stateful_set_utils): its name NAME-<ordinal>, its
// hostname and subdomain, the identity labels, and its claims — one per volumeClaimTemplate,
// named <template>-NAME-<ordinal> — mounted as the template's volumes of the same name.
import type { KObject, OwnerReference, PersistentVolumeClaim, Pod, PodTemplateSpec, StatefulSet, Volume } from '../../common/api/types';
import { podFromTemplate, templateHash } from './pods';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

/** The first ordinal (spec.ordinals.start, default 0). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

export function statefulPodName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** The ordinal in a pod's name NAME-<ordinal>, or undefined when the name is not of that shape. */
export function ordinalOf(set: StatefulSet, pod: Pod): number | undefined {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** The revision a template is: NAME-<template hash>, the value of the pods' controller-revision-hash label (as Kubernetes' ControllerRevision names). */
export function revisionOf(set: StatefulSet): string {
  return `${set.metadata.name}-${templateHash(set.spec.template)}`;
}

export function podRevision(pod: Pod): string | undefined {
  return pod.metadata.labels?.[REVISION_LABEL];
}

export function claimName(templateName: string, set: StatefulSet, ordinal: number): string {
  return `${templateName}-${set.metadata.name}-${ordinal}`;
}

/** Who owns a claim under the retention policy: the set when claims go with it (whenDeleted: Delete), nobody otherwise. */
export function claimOwners(set: StatefulSet): OwnerReference[] | undefined {
  if (set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted !== 'Delete') return undefined;
  return [{ apiVersion: set.apiVersion, kind: set.kind, name: set.metadata.name, uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
}

/** The claims ordinal `ordinal` needs, as they would be created: template labels plus the selector's labels. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  const owners = claimOwners(set);
  return (set.spec.volumeClaimTemplates ?? []).map((t) => {
    const name = t.metadata.name ?? '';
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(name, set, ordinal),
        namespace: set.metadata.namespace ?? 'default',
        labels: { ...(t.metadata.labels ?? {}), ...(set.spec.selector.matchLabels ?? {}) },
        ...(t.metadata.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        ...(owners ? { ownerReferences: owners } : {}),
      },
      spec: structuredClone(t.spec),
    };
  });
}

/**
 * A template recovered from a pod of an older revision, so a replacement at an ordinal below the
 * partition gets that revision as Kubernetes gives it (Kite keeps no ControllerRevision objects;
 * the pods of a revision carry its template). Identity and binding are dropped: the new pod gets its own.
 */
export function templateFromPod(pod: Pod): PodTemplateSpec {
  const labels = { ...(pod.metadata.labels ?? {}) };
  for (const k of [POD_NAME_LABEL, POD_INDEX_LABEL, REVISION_LABEL]) delete labels[k];
  const { nodeName: _node, hostname: _host, subdomain: _sub, ...spec } = structuredClone(pod.spec);
  return { metadata: { labels, ...(pod.metadata.annotations ? { annotations: { ...pod.metadata.annotations } } : {}) }, spec };
}

/** The pod for an ordinal at a revision (its template given), with its identity and claim volumes. */
export function statefulPod(set: StatefulSet, ordinal: number, template: PodTemplateSpec, revision: string): Pod {
  const name = statefulPodName(set, ordinal);
  const pod = podFromTemplate(template, set as KObject, name, { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision });
  pod.spec.hostname = name;
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
  else delete pod.spec.subdomain;
  const claims = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name ?? '');
  if (claims.length) {
    // A claim replaces a template volume of the same name, as in Kubernetes.
    const kept = (pod.spec.volumes ?? []).filter((v) => !claims.includes(v.name));
    const claimVolumes: Volume[] = claims.map((t) => ({ name: t, persistentVolumeClaim: { claimName: claimName(t, set, ordinal) } }));
    pod.spec.volumes = [...kept, ...claimVolumes];
  }
  return pod;
}
