// The controller's part of pod networking, composed: the address plan, the allocators the API and
// the dispatcher use on every controller, and the leader-only controllers (Endpoints, LoadBalancer
// status, allocation repair).
import type { Etcd3 } from 'etcd3';
import type { Logger } from '../../common/log';
import type { KeyLayout } from '../store/keys';
import type { WorkloadDeps } from '../workloads/base';
import { type NetworkConfig, type NetworkPlan, networkPlan } from './network-config';
import { PodCidrAllocator } from './pod-cidr-allocator';
import { NodePortAllocator, ServiceIPAllocator } from './service-addresses';
import { ServiceAdmission } from './service-admission';
import { EndpointsController } from './endpoints-controller';
import { LoadBalancerController } from './load-balancer-controller';
import { AllocationRepair } from './allocation-repair';

export interface ClusterNetwork {
  /** What agents are told in Welcome.network (plus their own pod CIDR). */
  config: NetworkConfig;
  /** The dispatcher's: a /24 per node, at registration. */
  podCidrs: PodCidrAllocator;
  serviceIPs: ServiceIPAllocator;
  nodePorts: NodePortAllocator;
  /** The API's write hooks: Service addresses at create, update and delete. */
  admission: ServiceAdmission;
}

export function createClusterNetwork(client: Etcd3, keys: KeyLayout, plan: NetworkPlan, log: Logger): ClusterNetwork {
  const serviceIPs = new ServiceIPAllocator(client, keys, plan.service);
  const nodePorts = new NodePortAllocator(client, keys);
  return {
    config: plan.config,
    podCidrs: new PodCidrAllocator(client, keys, plan.cluster),
    serviceIPs,
    nodePorts,
    admission: new ServiceAdmission(serviceIPs, nodePorts, log.child({ component: 'service-addresses' })),
  };
}

/** The leader-only network components, started and stopped with leadership. */
export function createNetworkControllers(deps: WorkloadDeps, network: ClusterNetwork): { start(): void; stop(): void }[] {
  return [
    new EndpointsController(deps),
    new LoadBalancerController(deps),
    new AllocationRepair({ informers: deps.informers, podCidrs: network.podCidrs, serviceIPs: network.serviceIPs.pool, nodePorts: network.nodePorts.pool, log: deps.log, clock: deps.clock }),
  ];
}

export { networkPlan, type NetworkConfig, type NetworkPlan };
export { DEFAULT_CLUSTER_CIDR, DEFAULT_SERVICE_CIDR, CLUSTER_DOMAIN } from './network-config';
export { PodCidrAllocator } from './pod-cidr-allocator';
export { RangeFullError } from './allocation-pool';
