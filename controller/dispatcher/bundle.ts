// The ConfigMaps and Secrets a pod references, so they travel with its assignment.
import type { Pod } from '../../common/api/types';

export function referencedConfig(pod: Pod): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef) secrets.add(e.valueFrom.secretKeyRef.name);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef) configMaps.add(f.configMapRef.name);
      if (f.secretRef) secrets.add(f.secretRef.name);
    }
  }
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap) configMaps.add(v.configMap.name);
    if (v.secret) secrets.add(v.secret.secretName);
    for (const src of v.projected?.sources ?? []) {
      if (src.configMap) configMaps.add(src.configMap.name);
      if (src.secret) secrets.add(src.secret.name);
    }
  }
  for (const s of pod.spec.imagePullSecrets ?? []) secrets.add(s.name);
  return { configMaps, secrets };
}
