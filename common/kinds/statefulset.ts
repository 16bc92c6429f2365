// StatefulSet (apps/v1): pods with a stable identity — NAME-0..N-1, each with its own claims and
// its own DNS name through a headless Service — created, replaced and updated in ordinal order.
import type { PersistentVolumeClaim, StatefulSet } from '../api/types';
import { S, base, err, labelSelector, labelsSchema, annotationsSchema, nonNegative, status } from '../manifest/fields';
import { dns1123LabelError } from '../manifest/names';
import { child, defaultTemplate, setDefault, specOf } from '../manifest/pod-defaults';
import { podTemplate } from '../manifest/pod-fields';
import { type Ctx, type Obj, isObj, join } from '../manifest/schema';
import { checkRestartPolicy, checkSelectorMatchesTemplate, intOrPercent } from '../manifest/workload-fields';
import { ageOf } from '../print/age';
import type { FieldIssue } from '../manifest/schema';
import type { KindDefinition } from './kind';
import { containerCells } from './pod';
import { getPath, sameValue } from './paths';
import { persistentVolumeClaimKind } from './persistentvolumeclaim';

const retention = S.oneOf('Retain', 'Delete');

/** A claim template's spec is checked as the claims made from it will be. */
const claimSpec = persistentVolumeClaimKind.schema.fields.spec ?? S.anyObject;

const claimTemplate = S.obj(
  {
    apiVersion: S.str(),
    kind: S.str(),
    metadata: S.obj({ name: S.nonEmpty(dns1123LabelError), labels: labelsSchema, annotations: annotationsSchema, namespace: S.str(), creationTimestamp: S.any }, { required: ['name'] }),
    spec: claimSpec,
    status: S.any,
  },
  { required: ['metadata', 'spec'] },
);

/** Names of the volumeClaimTemplates (valid or not: validation reports those separately). */
function claimTemplateNames(spec: Obj): string[] {
  const list = Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  return list.flatMap((t) => (isObj(t) && isObj(t.metadata) && typeof t.metadata.name === 'string' ? [t.metadata.name] : []));
}

/**
 * Containers may mount a volumeClaimTemplate the pod template does not declare: each claim becomes
 * a pod volume of that name (replacing a template volume of the same name, as Kubernetes does).
 * The shared pod template schema (kept as the template's schema so rules about pod specs find it)
 * reports those mounts as undeclared; this runs after it and withdraws exactly those reports.
 */
function allowClaimMounts(spec: Obj, path: string, ctx: Ctx): void {
  const claims = claimTemplateNames(spec);
  if (!claims.length) return;
  const mountName = /^\.template\.spec\.(containers|initContainers)\[\d+\]\.volumeMounts\[\d+\]\.name$/;
  const undeclared = new Set(claims.map((name) => `volume ${JSON.stringify(name)} is not declared in `));
  for (let i = ctx.errors.length - 1; i >= 0; i--) {
    const e = ctx.errors[i]!;
    if (!e.path.startsWith(path) || !mountName.test(e.path.slice(path.length))) continue;
    if ([...undeclared].some((prefix) => e.message.startsWith(prefix))) ctx.errors.splice(i, 1);
  }
}

const statefulSetSpec = S.obj(
  {
    serviceName: S.str(dns1123LabelError),
    replicas: nonNegative,
    selector: labelSelector,
    template: podTemplate,
    volumeClaimTemplates: S.list(claimTemplate, false, (list, path, ctx) => {
      const seen = new Set<string>();
      list.forEach((t, i) => {
        const name = isObj(t) && isObj(t.metadata) ? t.metadata.name : undefined;
        if (typeof name !== 'string') return;
        if (seen.has(name)) err(ctx, `${path}[${i}].metadata.name`, `duplicate volumeClaimTemplate name ${JSON.stringify(name)}`);
        seen.add(name);
      });
    }),
    podManagementPolicy: S.oneOf('OrderedReady', 'Parallel'),
    updateStrategy: S.obj(
      {
        type: S.oneOf('RollingUpdate', 'OnDelete'),
        rollingUpdate: S.obj({ partition: nonNegative, maxUnavailable: intOrPercent }),
      },
      {
        hook: (o, path, ctx) => {
          if (o.type === 'OnDelete' && o.rollingUpdate != null) err(ctx, join(path, 'rollingUpdate'), 'may not be specified when updateStrategy type is OnDelete');
          const mu = isObj(o.rollingUpdate) ? o.rollingUpdate.maxUnavailable : undefined;
          if (mu === 0 || mu === '0%') err(ctx, join(join(path, 'rollingUpdate'), 'maxUnavailable'), 'must be greater than 0');
        },
      },
    ),
    minReadySeconds: nonNegative,
    revisionHistoryLimit: nonNegative,
    persistentVolumeClaimRetentionPolicy: S.obj({ whenDeleted: retention, whenScaled: retention }),
    ordinals: S.obj({ start: nonNegative }),
  },
  {
    required: ['selector', 'template'],
    hook: (o, path, ctx) => {
      allowClaimMounts(o, path, ctx);
      checkSelectorMatchesTemplate(o, path, ctx, true);
      checkRestartPolicy(o, path, ctx, ['Always'], false);
    },
  },
);

/** The spec fields an update may change (Kubernetes' ValidateStatefulSetUpdate); the rest are fixed at creation. */
export const STATEFULSET_MUTABLE_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'] as const;

const FORBIDDEN_UPDATE =
  "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
  "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** One issue per fixed spec field the update changes (serviceName, selector, volumeClaimTemplates, podManagementPolicy, ...). */
export function statefulSetImmutable(current: StatefulSet, next: StatefulSet): FieldIssue[] {
  const mutable = new Set<string>(STATEFULSET_MUTABLE_FIELDS);
  const keys = new Set([...Object.keys(current.spec ?? {}), ...Object.keys(next.spec ?? {})]);
  return [...keys]
    .filter((k) => !mutable.has(k) && !sameValue(getPath(current, `spec.${k}`), getPath(next, `spec.${k}`)))
    .sort()
    .map((k) => ({ path: `spec.${k}`, message: FORBIDDEN_UPDATE }));
}

export const statefulSetKind: KindDefinition<StatefulSet> = {
  kind: 'StatefulSet',
  apiVersion: 'apps/v1',
  plural: 'statefulsets',
  singular: 'statefulset',
  shortNames: ['sts'],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: statefulSetSpec }, { required: ['spec'] }),
  // Stricter than Kubernetes' subdomain rule: every pod's hostname is NAME-<ordinal>, a DNS label.
  nameRule: dns1123LabelError,
  defaults(sts) {
    const spec = specOf(sts);
    if (!spec) return;
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    const strategy = child(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') setDefault(child(strategy, 'rollingUpdate'), 'partition', 0);
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'minReadySeconds', 0);
    const retentionPolicy = child(spec, 'persistentVolumeClaimRetentionPolicy');
    setDefault(retentionPolicy, 'whenDeleted', 'Retain');
    setDefault(retentionPolicy, 'whenScaled', 'Retain');
    defaultTemplate(spec, 'Always');
    // As Kubernetes: the claim templates get a claim's defaults, so the claims made from them match them.
    if (Array.isArray(spec.volumeClaimTemplates)) {
      for (const t of spec.volumeClaimTemplates) if (isObj(t)) persistentVolumeClaimKind.defaults?.(t as unknown as PersistentVolumeClaim);
    }
  },
  immutable: statefulSetImmutable,
  table: {
    columns: [{ name: 'NAME' }, { name: 'READY' }, { name: 'AGE' }, { name: 'CONTAINERS', wide: true }, { name: 'IMAGES', wide: true }],
    cells: (sts, now) => [
      sts.metadata.name,
      `${sts.status?.readyReplicas ?? 0}/${sts.spec.replicas ?? 1}`,
      ageOf(sts, now),
      ...containerCells(sts.spec.template.spec.containers),
    ],
  },
};
