// LoadBalancer services as k3s's ServiceLB does them (leader only): every node opens the service
// port on its own address, so the load balancer's ingress is the InternalIP of each Ready node,
// written to status.loadBalancer.ingress and kept current as nodes come, go and turn NotReady.
import type { Node, Service } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import { canonicalJson } from '../../common/canonical';
import { isKiteError } from '../../common/errors';
import { objectKey } from '../informer';
import { WorkloadController, type WorkloadDeps } from '../workloads/base';

export type LoadBalancerIngress = { ip: string }[];

/** The InternalIPs of the Ready nodes, in address order, each once. */
export function loadBalancerIngress(nodes: Iterable<Node>): LoadBalancerIngress {
  const ips = new Set<string>();
  for (const n of nodes) {
    if (!isNodeReady(n)) continue;
    const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (ip) ips.add(ip);
  }
  return [...ips].sort(compareAddresses).map((ip) => ({ ip }));
}

function compareAddresses(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return a.localeCompare(b);
}

/** The status a service should have: the ingress for LoadBalancer services, none for other types. */
export function loadBalancerStatus(svc: Service, ingress: LoadBalancerIngress): Service['status'] {
  const { loadBalancer: _lb, ...rest } = svc.status ?? {};
  if (svc.spec.type !== 'LoadBalancer') return rest;
  return { ...rest, loadBalancer: { ingress } };
}

/** What of a node the ingress depends on. */
const nodeView = (n: Node | undefined) => (n ? canonicalJson([isNodeReady(n), n.status?.addresses ?? []]) : '');

export class LoadBalancerController extends WorkloadController<Service> {
  constructor(deps: WorkloadDeps) {
    super('service-lb-controller', 'Service', deps);
    this.informers.get<Node>('Node').on((type, node, old) => {
      if (type === 'MODIFIED' && nodeView(node) === nodeView(old)) return;
      for (const svc of this.informers.get<Service>('Service').list()) {
        if (svc.spec.type === 'LoadBalancer') this.enqueue(objectKey(svc));
      }
    });
  }

  protected watchedKinds(): string[] {
    return ['Service', 'Node'];
  }

  protected async reconcile(key: string): Promise<void> {
    const svc = this.cached(key);
    if (!svc) return;
    const wanted = loadBalancerStatus(svc, loadBalancerIngress(this.informers.get<Node>('Node').list()));
    if (canonicalJson(wanted ?? {}) === canonicalJson(svc.status ?? {})) return;
    try {
      // Status is ours alone: write it onto the latest version.
      await this.store.updateStatus<Service>({ ...svc, metadata: { ...svc.metadata, resourceVersion: undefined }, status: wanted });
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
    }
  }
}
