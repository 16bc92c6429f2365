// Warnings (not errors) about a StatefulSet's serviceName at apply: the set works without its
// Service, but its pods get stable DNS names (NAME-i.SVC.NS.svc) only through a headless Service
// of that name in the set's namespace. Services applied in the same set count as existing.
import type { KObject, Service, StatefulSet } from '../../common/api/types';
import type { ObjectStore } from '../store/types';

const nsOf = (o: KObject) => o.metadata.namespace ?? 'default';

export async function statefulSetServiceWarnings(store: Pick<ObjectStore, 'get'>, objects: readonly KObject[]): Promise<string[]> {
  const warnings: string[] = [];
  for (const obj of objects) {
    if (obj.kind !== 'StatefulSet') continue;
    const set = obj as StatefulSet;
    const name = set.spec.serviceName;
    if (!name) continue;
    const ns = nsOf(set);
    const applied = objects.find((o): o is Service => o.kind === 'Service' && o.metadata.name === name && nsOf(o) === ns);
    const svc = applied ?? (await store.get<Service>('Service', ns, name));
    const where = `StatefulSet "${set.metadata.name}": spec.serviceName`;
    if (!svc) warnings.push(`${where}: Service "${name}" not found in namespace "${ns}"; the pods get no DNS names until a headless Service (clusterIP: None) of that name exists`);
    else if (svc.spec.clusterIP !== 'None') warnings.push(`${where}: Service "${name}" is not headless (clusterIP: None); the pods get no per-pod DNS names through it`);
  }
  return warnings;
}
