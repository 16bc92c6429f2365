// The cluster's address plan (--cluster-cidr, --service-cidr), checked once at start so a bad
// flag stops the controller with a clear message instead of breaking pods later.
import { invalid } from '../../common/errors';
import { type Cidr, cidrSize, cidrsOverlap, formatCidr, parseCidr } from './ipv4';

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const CLUSTER_DOMAIN = 'cluster.local';

/** What the dispatcher tells agents in Welcome.network (besides each node's own pod CIDR). */
export interface NetworkConfig {
  clusterCIDR: string;
  serviceCIDR: string;
  clusterDomain: string;
}

/** The same plan, parsed, for the allocators. */
export interface NetworkPlan {
  config: NetworkConfig;
  cluster: Cidr;
  service: Cidr;
}

/** A service range must hold at least the network address, the reserved .1 and one service. */
const MIN_SERVICE_ADDRESSES = 4;

/** Parses and checks the two ranges; throws an Invalid error naming the flag at fault. */
export function networkPlan(clusterCIDR = DEFAULT_CLUSTER_CIDR, serviceCIDR = DEFAULT_SERVICE_CIDR): NetworkPlan {
  const cluster = parseCidr(clusterCIDR, '--cluster-cidr');
  const service = parseCidr(serviceCIDR, '--service-cidr');
  if (cluster.prefix > 24) {
    throw invalid(`--cluster-cidr ${formatCidr(cluster)} is smaller than a /24; every node gets a /24 from it, so it must be a /24 or larger`);
  }
  if (cidrSize(service) < MIN_SERVICE_ADDRESSES) {
    throw invalid(`--service-cidr ${formatCidr(service)} is too small; it must be a /30 or larger`);
  }
  if (cidrsOverlap(cluster, service)) {
    throw invalid(`--cluster-cidr ${formatCidr(cluster)} and --service-cidr ${formatCidr(service)} overlap; pod and service addresses must not share a range`);
  }
  return { config: { clusterCIDR: formatCidr(cluster), serviceCIDR: formatCidr(service), clusterDomain: CLUSTER_DOMAIN }, cluster, service };
}
