// `kite describe statefulset`, in kubectl's layout: replicas, update strategy, pods status, the
// pod template and the volume claim templates.
import type { Pod, StatefulSet } from '../../common/api/types';
import { formatTimestamp } from '../../common/print/age';
import { formatSelector } from '../../common/print/labels';
import { type DescribeTime, writeAnnotations, writeLabels, writePodTemplate } from './describe-sections';
import { podsStatusLine } from './describe-workloads';
import { type DescribeWriter, LEVEL_0, LEVEL_1 } from './describe-writer';

export function describeStatefulSet(w: DescribeWriter, sts: StatefulSet, pods: readonly Pod[] | undefined, t: DescribeTime): void {
  w.write(LEVEL_0, `Name:\t${sts.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${sts.metadata.namespace ?? ''}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${formatTimestamp(sts.metadata.creationTimestamp, t.utcOffsetMinutes)}\n`);
  w.write(LEVEL_0, `Selector:\t${formatSelector(sts.spec.selector)}\n`);
  writeLabels(w, 'Labels', sts.metadata.labels);
  writeAnnotations(w, 'Annotations', sts.metadata.annotations);
  w.write(LEVEL_0, `Replicas:\t${sts.spec.replicas ?? 1} desired | ${sts.status?.replicas ?? 0} total\n`);
  const strategy = sts.spec.updateStrategy?.type ?? 'RollingUpdate';
  w.write(LEVEL_0, `Update Strategy:\t${strategy}\n`);
  const partition = sts.spec.updateStrategy?.rollingUpdate?.partition;
  if (strategy === 'RollingUpdate' && partition !== undefined) w.write(LEVEL_1, `Partition:\t${partition}\n`);
  if (pods) w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(pods)}\n`);
  writePodTemplate(w, sts.spec.template, t);
  const claims = sts.spec.volumeClaimTemplates ?? [];
  w.write(LEVEL_0, `Volume Claims:${claims.length ? '' : '\t<none>'}\n`);
  for (const c of claims) {
    w.write(LEVEL_1, `Name:\t${c.metadata.name ?? ''}\n`);
    w.write(LEVEL_1, `StorageClass:\t${c.spec.storageClassName ?? ''}\n`);
    writeLabels(w, '  Labels', c.metadata.labels);
    writeAnnotations(w, '  Annotations', c.metadata.annotations);
    w.write(LEVEL_1, `Capacity:\t${String(c.spec.resources?.requests?.storage ?? '')}\n`);
    w.write(LEVEL_1, `Access Modes:\t[${(c.spec.accessModes ?? []).join(' ')}]\n`);
  }
}
