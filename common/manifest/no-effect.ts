// Real Kubernetes fields that Kite accepts and ignores, each with the reason it has no effect
// here, so a warning tells the user what they will (not) get instead of a bare "not supported".
// Every field a schema lists as `unsupported` must have its reason here (a unit test walks every
// kind's schema); a field Kite implements must leave both lists.

const REASONS: Readonly<Record<string, string>> = {
  // metadata
  finalizers: "only Kite's own controllers set finalizers; these are not kept",
  ownerReferences: "owner references are set by Kite's controllers; these are not kept",
  // containers
  stopSignal: "containers are stopped with their image's STOPSIGNAL (SIGTERM unless the image says otherwise)",
  terminationMessagePath: "Kite takes a terminated container's message from the end of its log (as FallbackToLogsOnError)",
  terminationMessagePolicy: "Kite takes a terminated container's message from the end of its log (as FallbackToLogsOnError)",
  stdinOnce: 'Kite does not attach to a container after it starts; stdin stays open as `stdin` says',
  volumeDevices: 'raw block volumes do not exist in Kite',
  resizePolicy: 'Kite does not resize running containers: a changed pod template replaces its pods',
  claims: 'dynamic resource allocation (resource claims) does not exist in Kite',
  fileKeyRef: 'environment variables from files (alpha in Kubernetes) are not implemented; the variable is not set',
  mountPropagation: 'mounts are private to the container (Docker rprivate); propagation is not configured',
  subPathExpr: 'use subPath: variables in subPathExpr are not expanded, so the whole volume is mounted',
  recursiveReadOnly: 'readOnly mounts are read-only binds; sub-mounts are not made read-only recursively',
  clusterTrustBundle: 'Kite issues no cluster trust bundles: this file is not written',
  podCertificate: 'Kite issues no pod certificates: this file is not written',
  // probes
  terminationGracePeriodSeconds: "a liveness kill uses the pod's terminationGracePeriodSeconds",
  // security
  seLinuxOptions: "Kite's nodes do not apply SELinux labels to containers",
  seLinuxChangePolicy: "Kite's nodes do not apply SELinux labels to containers",
  windowsOptions: 'Kite runs Linux containers only',
  hostUsers: 'containers run without a user namespace (as hostUsers: true)',
  // pod spec
  ephemeralContainers: 'ephemeral debug containers are not implemented; use `kite exec`',
  priorityClassName: 'Kite does not preempt: pods are scheduled in arrival order whatever their priority',
  priority: 'Kite does not preempt: pods are scheduled in arrival order whatever their priority',
  preemptionPolicy: 'Kite does not preempt: pods are scheduled in arrival order whatever their priority',
  shareProcessNamespace: "each container has its own PID namespace; processes of other containers are not visible",
  schedulerName: "Kite's scheduler places every pod",
  runtimeClassName: "every container runs with the node Docker Engine's default runtime",
  setHostnameAsFQDN: 'the container hostname stays the short pod hostname',
  overhead: 'pod overhead is not added to the resources the scheduler counts',
  activeDeadlineSeconds: 'pods are not stopped after a deadline; use a Job with activeDeadlineSeconds',
  readinessGates: "a pod's readiness is its containers' readiness; extra condition types are not waited for",
  os: 'Kite nodes run Linux; os is only informative',
  resourceClaims: 'dynamic resource allocation (resource claims) does not exist in Kite',
  resources: 'pod-level resources are not enforced; set resources on each container',
  // jobs
  completionMode: 'Jobs run NonIndexed: pods get no completion index',
  suspend: 'a Job starts its pods at once; suspending is not implemented',
  podFailurePolicy: 'every pod failure counts toward backoffLimit',
  backoffLimitPerIndex: 'Jobs run NonIndexed: backoffLimit applies to the whole Job',
  maxFailedIndexes: 'Jobs run NonIndexed: backoffLimit applies to the whole Job',
  manualSelector: 'the Job controller uses the selector as given',
  podReplacementPolicy: 'a failed pod is replaced once it has terminated (TerminatingOrFailed)',
  successPolicy: 'a Job succeeds when completions pods have succeeded',
  managedBy: "Kite's Job controller manages every Job",
  // services
  appProtocol: "Kite's service proxy works at layer 4: the application protocol is informative",
  externalTrafficPolicy: 'node ports and load balancer ports reach endpoints on every node (Cluster)',
  internalTrafficPolicy: 'cluster IPs reach endpoints on every node (Cluster)',
  ipFamilies: 'Kite services are IPv4 only',
  ipFamilyPolicy: 'Kite services are IPv4 only',
  clusterIPs: 'Kite services have one IPv4 cluster IP (spec.clusterIP)',
  loadBalancerIP: 'load balancer ports open on every node address (as k3s ServiceLB); a requested IP is not assigned',
  loadBalancerSourceRanges: 'load balancer ports accept every source address',
  loadBalancerClass: 'every LoadBalancer Service is served by the built-in node-port load balancer',
  externalIPs: 'external IPs are not routed to the Service',
  healthCheckNodePort: 'no health check node port is opened (externalTrafficPolicy is always Cluster)',
  allocateLoadBalancerNodePorts: 'LoadBalancer Services always get node ports',
  externalName: 'ExternalName Services are not implemented',
  trafficDistribution: 'traffic is spread over all ready endpoints',
  // storage
  dataSource: 'claims start empty: cloning and snapshots are not implemented',
  dataSourceRef: 'claims start empty: cloning and snapshots are not implemented',
  volumeAttributesClassName: 'volume attributes classes do not exist in Kite',
  allowedTopologies: 'local-path volumes are created on the node of their first pod',
  // events, nodes (written by the system)
  eventTime: 'Kite records events with firstTimestamp/lastTimestamp',
  series: 'Kite counts repeated events with count',
  action: 'Kite events carry reason and message only',
  related: 'Kite events carry reason and message only',
  reportingComponent: 'Kite events name their source in source.component',
  reportingInstance: 'Kite events name their source in source.component',
  providerID: 'Kite has no cloud provider',
  configSource: 'node configuration comes from kite-agent flags',
  externalID: 'Kite has no cloud provider',
};

/** Keys no schema can list (extended resources), with their own reason. */
export const OTHER_RESOURCE_REASON = 'extended and other resources are neither scheduled nor limited by Kite';

/** The warning for an ignored field `key`. */
export function noEffectMessage(key: string): string {
  const reason = REASONS[key];
  return reason ? `has no effect in Kite: ${reason}` : 'has no effect in Kite: field not implemented';
}

export function hasNoEffectReason(key: string): boolean {
  return key in REASONS;
}

export const NO_EFFECT_FIELDS: readonly string[] = Object.keys(REASONS);
