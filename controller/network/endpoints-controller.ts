// The Endpoints controller (leader only): one Endpoints object per Service with a selector, named
// like the service, kept equal to computeEndpoints(service, pods). A pod event reaches the
// services whose selector matches the pod (before or after the change) through an index, so a pod
// turning unready leaves its services' Endpoints within milliseconds, without polling.
import type { Endpoints, Pod, Service } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { canonicalJson } from '../../common/canonical';
import { objectKey } from '../informer';
import { WorkloadController, type WorkloadDeps } from '../workloads/base';
import { ENDPOINTS_CONTROLLER_NAME, ENDPOINTS_MANAGED_BY_LABEL, type UnresolvedPort, computeEndpoints, desiredEndpoints, sameEndpoints, selectorMatches } from './endpoints';

/** Objects of one kind grouped by namespace, kept current from an informer. */
class ByNamespace<T extends Pod | Service> {
  private readonly byNs = new Map<string, Map<string, T>>();

  put(obj: T): void {
    const ns = obj.metadata.namespace ?? 'default';
    let m = this.byNs.get(ns);
    if (!m) this.byNs.set(ns, (m = new Map()));
    m.set(obj.metadata.name, obj);
  }

  remove(obj: T): void {
    const ns = obj.metadata.namespace ?? 'default';
    const m = this.byNs.get(ns);
    m?.delete(obj.metadata.name);
    if (m?.size === 0) this.byNs.delete(ns);
  }

  in(ns: string): Iterable<T> {
    return this.byNs.get(ns)?.values() ?? [];
  }
}

/** What of a pod its Endpoints depend on: a change elsewhere (a usage report) needs no pass. */
function endpointView(pod: Pod): string {
  return canonicalJson([
    pod.metadata.labels ?? {},
    pod.metadata.deletionTimestamp ?? '',
    pod.status?.podIP ?? '',
    pod.status?.phase ?? '',
    pod.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '',
    pod.spec.nodeName ?? '',
  ]);
}

export class EndpointsController extends WorkloadController<Service> {
  private readonly pods = new ByNamespace<Pod>();
  private readonly services = new ByNamespace<Service>();
  /** The last unresolved-port warning per service, so a steady problem is reported once. */
  private readonly warned = new Map<string, string>();

  constructor(deps: WorkloadDeps) {
    super(ENDPOINTS_CONTROLLER_NAME, 'Service', deps);
    const podInformer = this.informers.get<Pod>('Pod');
    const serviceInformer = this.informers.get<Service>('Service');
    // Informers outlive leadership and may have synced already: seed the indexes from their caches.
    for (const s of serviceInformer.list()) this.services.put(s);
    for (const p of podInformer.list()) this.pods.put(p);
    serviceInformer.on((type, svc, old) => {
      if (old) this.services.remove(old);
      if (type !== 'DELETED') this.services.put(svc);
    });
    podInformer.on((type, pod, old) => {
      if (old) this.pods.remove(old);
      if (type !== 'DELETED') this.pods.put(pod);
      if (type === 'MODIFIED' && old && endpointView(old) === endpointView(pod)) return;
      for (const key of this.servicesSelecting(pod, old)) this.enqueue(key);
    });
    // Someone changed or removed an Endpoints object: put it back as it should be.
    this.informers.get<Endpoints>('Endpoints').on((_type, ep) => this.enqueue(objectKey(ep)));
  }

  protected watchedKinds(): string[] {
    return ['Service', 'Pod', 'Endpoints'];
  }

  protected override forget(key: string): void {
    this.warned.delete(key);
  }

  /** Keys of the services in the pod's namespace whose selector matches it now or matched it before. */
  private servicesSelecting(pod: Pod, old: Pod | undefined): string[] {
    const keys: string[] = [];
    for (const svc of this.services.in(pod.metadata.namespace ?? 'default')) {
      if (selectorMatches(svc.spec.selector, pod.metadata.labels) || (old && selectorMatches(svc.spec.selector, old.metadata.labels))) keys.push(objectKey(svc));
    }
    return keys;
  }

  protected async reconcile(key: string): Promise<void> {
    const svc = this.cached(key);
    const stored = this.informers.get<Endpoints>('Endpoints').get(key);
    const [ns = 'default', name = key] = key.split('/');
    if (!svc) {
      // The service is gone: so are the Endpoints this controller kept for it.
      if (stored?.metadata.labels?.[ENDPOINTS_MANAGED_BY_LABEL] === ENDPOINTS_CONTROLLER_NAME) await this.ignoreNotFound(this.store.delete('Endpoints', ns, name));
      return;
    }
    // Without a selector the Endpoints are whatever the user writes.
    if (!svc.spec.selector || Object.keys(svc.spec.selector).length === 0) return;
    const computed = computeEndpoints(svc, this.pods.in(ns));
    this.report(svc, key, computed.unresolved);
    const desired = desiredEndpoints(svc, computed.subsets);
    if (!stored) {
      try {
        await this.store.create(desired);
      } catch (e) {
        // Created meanwhile: its informer event queues this service again.
        if (!isKiteError(e, 'AlreadyExists')) throw e;
      }
      return;
    }
    if (sameEndpoints(stored, desired)) return;
    // On our cached version: a newer one means our view is stale, and its event brings us back.
    await this.store.update<Endpoints>({ ...desired, metadata: { ...desired.metadata, resourceVersion: stored.metadata.resourceVersion } });
  }

  private report(svc: Service, key: string, unresolved: UnresolvedPort[]): void {
    const message = unresolved.length
      ? `targetPort ${[...new Set(unresolved.map((u) => JSON.stringify(u.targetPort)))].join(', ')} is not a container port name of pod(s) ` +
        `${unresolved.slice(0, 5).map((u) => u.pod).join(', ')}${unresolved.length > 5 ? ` and ${unresolved.length - 5} more` : ''}; they are left out of the service's endpoints for that port`
      : '';
    if ((this.warned.get(key) ?? '') === message) return;
    this.warned.set(key, message);
    if (message) this.events.record(svc, 'Warning', 'FailedToResolveTargetPort', message);
  }

  private async ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
    }
  }
}
