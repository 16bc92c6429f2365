// The agent's copy of the cluster's Services and Endpoints, fed by the controller's service
// updates (a full set, then upserts and removals). The service proxy and the DNS server read it;
// the agent never asks etcd. Listeners hear about every change after it is applied.
import type { Endpoints, Service } from '../../common/api/types';

export const serviceKey = (o: { metadata: { name: string; namespace?: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

export type ServiceCacheListener = () => void;

export class ServiceCache {
  private readonly servicesByKey = new Map<string, Service>();
  private readonly endpointsByKey = new Map<string, Endpoints>();
  private readonly listeners: ServiceCacheListener[] = [];
  /** Whether a full set has arrived: until then an empty cache means "not known yet". */
  private synced = false;

  /** Applies one update from the controller; `full` replaces everything known. */
  apply(full: boolean, services: Service[], endpoints: Endpoints[], removedServices: string[], removedEndpoints: string[]): void {
    if (full) {
      this.servicesByKey.clear();
      this.endpointsByKey.clear();
      this.synced = true;
    }
    for (const key of removedServices) this.servicesByKey.delete(key);
    for (const key of removedEndpoints) this.endpointsByKey.delete(key);
    for (const s of services) this.servicesByKey.set(serviceKey(s), s);
    for (const e of endpoints) this.endpointsByKey.set(serviceKey(e), e);
    for (const l of this.listeners) l();
  }

  onChange(listener: ServiceCacheListener): void {
    this.listeners.push(listener);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  services(): Service[] {
    return [...this.servicesByKey.values()];
  }

  service(namespace: string, name: string): Service | undefined {
    return this.servicesByKey.get(`${namespace}/${name}`);
  }

  /** The Services of one namespace (for the service environment variables of its pods). */
  servicesIn(namespace: string): Service[] {
    return this.services().filter((s) => (s.metadata.namespace ?? 'default') === namespace);
  }

  endpoints(namespace: string, name: string): Endpoints | undefined {
    return this.endpointsByKey.get(`${namespace}/${name}`);
  }

  /** Every Endpoints object by "ns/name". */
  endpointsMap(): ReadonlyMap<string, Endpoints> {
    return this.endpointsByKey;
  }
}
