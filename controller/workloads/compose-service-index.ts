// Objects (pods, Jobs) grouped by namespace and Compose service label, kept current from a shared
// informer, so the depends_on controller finds a service's pods without scanning every pod.
import type { KObject } from '../../common/api/types';
import type { Informer } from '../informer';
import { objectKey } from '../informer';
import { COMPOSE_SERVICE_LABEL } from '../../common/api/depends-on';

export function composeServiceKey(namespace: string, service: string): string {
  return `${namespace}/${service}`;
}

/** The "namespace/service" an object belongs to, if it carries the Compose service label. */
export function composeServiceOf(obj: KObject): string | undefined {
  const service = obj.metadata.labels?.[COMPOSE_SERVICE_LABEL];
  return service ? composeServiceKey(obj.metadata.namespace ?? 'default', service) : undefined;
}

export class ComposeServiceIndex<T extends KObject> {
  private readonly byService = new Map<string, Map<string, T>>();

  /** onChange runs (after the index is updated) with the service of every changed member. */
  constructor(informer: Informer<T>, onChange: (serviceKey: string) => void = () => undefined) {
    // Informers outlive leadership: seed from the cache that may have synced long ago.
    for (const obj of informer.list()) this.put(obj);
    informer.on((type, obj, old) => {
      if (old) this.remove(old);
      if (type !== 'DELETED') this.put(obj);
      const was = old && composeServiceOf(old);
      const is = composeServiceOf(obj);
      if (was && was !== is) onChange(was);
      if (is) onChange(is);
    });
  }

  /** Members of the service; shared objects: never mutate them. */
  of(namespace: string, service: string): T[] {
    const m = this.byService.get(composeServiceKey(namespace, service));
    return m ? [...m.values()] : [];
  }

  private put(obj: T): void {
    const service = composeServiceOf(obj);
    if (!service) return;
    let m = this.byService.get(service);
    if (!m) this.byService.set(service, (m = new Map()));
    m.set(objectKey(obj), obj);
  }

  private remove(obj: T): void {
    const service = composeServiceOf(obj);
    const m = service && this.byService.get(service);
    if (!m) return;
    m.delete(objectKey(obj));
    if (m.size === 0) this.byService.delete(service);
  }
}
