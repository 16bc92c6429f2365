// Kite's resource types: a Kubernetes-compatible subset (see README "Resources").
// These are plain JSON shapes; everything that crosses the wire or sits in etcd is one of them.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** Seconds the pod's containers get to stop once deletionTimestamp is set. */
  deletionGracePeriodSeconds?: number;
  /** Deletion waits until every finalizer has been removed by whoever put it there. */
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  generateName?: string;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  data?: Record<string, string>;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ResourceList {
  cpu?: string | number;
  memory?: string | number;
}

export interface ResourceRequirements {
  requests?: ResourceList;
  limits?: ResourceList;
}

export interface KeySelector {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: KeySelector; secretKeyRef?: KeySelector; fieldRef?: ObjectFieldSelector; resourceFieldRef?: ResourceFieldSelector };
}

/** The downward API: one of the pod's own fields (metadata.name, status.podIP, metadata.labels['k']...). */
export interface ObjectFieldSelector {
  apiVersion?: string;
  fieldPath: string;
}

/** The downward API: a container's request or limit (limits.cpu, requests.memory...), divided by divisor. */
export interface ResourceFieldSelector {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}

export interface DownwardAPIVolumeFile {
  path: string;
  fieldRef?: ObjectFieldSelector;
  resourceFieldRef?: ResourceFieldSelector;
  mode?: number;
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: 'TCP' | 'UDP';
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export interface Probe {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: 'HTTP' | 'HTTPS'; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command: string[] };
  /** The standard gRPC health service (grpc.health.v1.Health/Check) on the pod IP, plaintext. */
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/** A postStart or preStop hook: exactly one handler. */
export interface LifecycleHandler {
  exec?: { command: string[] };
  httpGet?: Probe['httpGet'];
  /** Does nothing (as in Kubernetes, where tcpSocket hooks were never run). */
  tcpSocket?: { port: number | string; host?: string };
  sleep?: { seconds: number };
}

export interface SeccompProfile {
  type: 'RuntimeDefault' | 'Localhost' | 'Unconfined';
  /** With Localhost: a profile file under the agent's data dir (seccomp/<localhostProfile>). */
  localhostProfile?: string;
}

export interface AppArmorProfile {
  type: 'RuntimeDefault' | 'Localhost' | 'Unconfined';
  /** With Localhost: the name of a profile loaded on the node. */
  localhostProfile?: string;
}

/** Settings a pod sets for all its containers and a container may override. */
export interface CommonSecurityContext {
  runAsUser?: number;
  /** Unset: the primary group of runAsUser in the image's /etc/passwd, else 0 (as the kubelet). */
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  seccompProfile?: SeccompProfile;
  appArmorProfile?: AppArmorProfile;
}

/** What a pod's containers share unless a container says otherwise (the part of Kubernetes' PodSecurityContext Kite implements). */
export interface PodSecurityContext extends CommonSecurityContext {
  /** Extra groups of every container's process. */
  supplementalGroups?: number[];
  /** An extra group of every container's process, and the group owning the pod's own volumes. */
  fsGroup?: number;
  /** OnRootMismatch: a volume whose root already has fsGroup is not walked again. */
  fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  /** Namespaced kernel parameters of the pod (only the safe set: see common/manifest/sysctls.ts). */
  sysctls?: { name: string; value: string }[];
}

export interface SecurityContext extends CommonSecurityContext {
  privileged?: boolean;
  /** false: the process cannot gain privileges (setuid binaries); Kite's default unless privileged. */
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: SecurityContext;
  lifecycle?: { postStart?: LifecycleHandler; preStop?: LifecycleHandler; stopSignal?: string };
  tty?: boolean;
  stdin?: boolean;
  /** Only on init containers, only Always: a native sidecar (started in order, kept running beside the app containers). */
  restartPolicy?: 'Always';
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  hostPath?: { path: string; type?: string };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  /** A claim in the pod's namespace; the agent mounts its bound volume's directory. */
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  downwardAPI?: { items?: DownwardAPIVolumeFile[]; defaultMode?: number };
  projected?: ProjectedVolumeSource;
}

/** Several sources in one directory (configMap, secret, downwardAPI; serviceAccountToken writes nothing in Kite). */
export interface ProjectedVolumeSource {
  sources?: {
    configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
    secret?: { name: string; items?: KeyToPath[]; optional?: boolean };
    downwardAPI?: { items?: DownwardAPIVolumeFile[] };
    serviceAccountToken?: { path: string; audience?: string; expirationSeconds?: number };
  }[];
  defaultMode?: number;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: '' | 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
  podAffinity?: PodAffinityRules;
  podAntiAffinity?: PodAffinityRules;
}

/** Pods matching labelSelector in namespaces (default: the pod's own) within one topology domain:
 *  the nodes sharing the value of the node label topologyKey. */
export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  topologyKey: string;
  namespaces?: string[];
  /** {} selects every namespace; added to `namespaces`. */
  namespaceSelector?: LabelSelector;
  /** Keys of the incoming pod's labels ANDed into labelSelector as key in (its value). */
  matchLabelKeys?: string[];
  /** Keys of the incoming pod's labels ANDed into labelSelector as key notin (its value). */
  mismatchLabelKeys?: string[];
}

export interface PodAffinityRules {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  /** With DoNotSchedule: fewer eligible domains than this count as a global minimum of 0. */
  minDomains?: number;
  matchLabelKeys?: string[];
  /** Honor (default): only nodes matching the pod's node affinity/selector count as domains. */
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  /** Ignore (default): tainted nodes count as domains too; Honor: only nodes whose taints the pod tolerates. */
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
}

export interface PodSpec {
  /** Run in order, each to completion, before the containers start (or kept running: sidecars). */
  initContainers?: Container[];
  containers: Container[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: Affinity;
  topologySpreadConstraints?: TopologySpreadConstraint[];
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
  imagePullSecrets?: { name: string }[];
  /** Recorded as given; Kite issues no service account tokens. */
  serviceAccountName?: string;
  /** Deprecated alias of serviceAccountName, recorded as given. */
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  hostname?: string;
  /** With hostname: the pod is <hostname>.<subdomain>.<ns>.svc.<domain> through the headless Service of that name. */
  subdomain?: string;
  /** The pod uses the node's network namespace (no pod IP of its own, no pod DNS). */
  hostNetwork?: boolean;
  /** Which resolver the pod uses (node-agent/network/pod-dns.ts). */
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  /** Extra /etc/hosts entries. */
  hostAliases?: { ip: string; hostnames?: string[] }[];
  /** false: no {SVC}_SERVICE_HOST/_PORT variables in the containers' environment. */
  enableServiceLinks?: boolean;
  /** The pod's containers see the node's processes / share its IPC namespace. */
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: PodSecurityContext;
  /** Set at creation, removed one by one (never added) by updates; the pod is not scheduled while any is left. */
  schedulingGates?: { name: string }[];
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface ContainerStateInfo {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  containerID?: string;
  image: string;
  imageID?: string;
  state: ContainerStateInfo;
  lastState?: ContainerStateInfo;
  ready: boolean;
  started?: boolean;
  restartCount: number;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  lastUpdateTime?: string;
}

export interface PodStatus {
  phase?: PodPhase;
  reason?: string;
  message?: string;
  hostIP?: string;
  podIP?: string;
  startTime?: string;
  conditions?: Condition[];
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
}

export interface Pod extends KObject {
  kind: 'Pod';
  spec: PodSpec;
  status?: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: Partial<ObjectMeta>;
  spec: PodSpec;
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: {
    type?: 'RollingUpdate' | 'Recreate';
    rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
}

export interface Deployment extends KObject {
  kind: 'Deployment';
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

/** A Deployment revision: one per distinct pod template, as in Kubernetes. */
export interface ReplicaSet extends KObject {
  kind: 'ReplicaSet';
  spec: { replicas: number; selector: LabelSelector; template: PodTemplateSpec; minReadySeconds?: number };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number };
}

export interface DaemonSetSpec {
  selector: LabelSelector;
  template: PodTemplateSpec;
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

export interface DaemonSet extends KObject {
  kind: 'DaemonSet';
  spec: DaemonSetSpec;
  status?: {
    currentNumberScheduled?: number;
    desiredNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    updatedNumberScheduled?: number;
    numberMisscheduled?: number;
    observedGeneration?: number;
  };
}

export interface JobSpec {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  selector?: LabelSelector;
  template: PodTemplateSpec;
  ttlSecondsAfterFinished?: number;
}

export interface Job extends KObject {
  kind: 'Job';
  spec: JobSpec;
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: Condition[];
  };
}

/** A reference to another object (a CronJob's active Jobs). */
export interface ObjectReference {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface CronJobSpec {
  /** Five-field cron or @hourly/@daily/...; read in timeZone (the controller's zone when unset). */
  schedule: string;
  timeZone?: string;
  /** A run not started within this many seconds of its time is skipped (MissSchedule). */
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  jobTemplate: { metadata?: Partial<ObjectMeta>; spec: JobSpec };
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

export interface CronJob extends KObject {
  kind: 'CronJob';
  spec: CronJobSpec;
  status?: {
    active?: ObjectReference[];
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
  };
}

export type StatefulSetRetention = 'Retain' | 'Delete';

export interface StatefulSetSpec {
  /** The headless Service that gives each pod its DNS name (<pod>.<serviceName>.<ns>.svc). */
  serviceName?: string;
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  /** One claim per template per ordinal, named <template>-<set>-<ordinal>. */
  volumeClaimTemplates?: { apiVersion?: string; kind?: string; metadata: Partial<ObjectMeta>; spec: PersistentVolumeClaimSpec }[];
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: StatefulSetRetention; whenScaled?: StatefulSetRetention };
  ordinals?: { start?: number };
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
}

export interface StatefulSet extends KObject {
  kind: 'StatefulSet';
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}

export interface ServicePort {
  name?: string;
  protocol?: 'TCP' | 'UDP';
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface Service extends KObject {
  kind: 'Service';
  spec: {
    selector?: Record<string, string>;
    ports?: ServicePort[];
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
    /** A virtual IP from the service CIDR, allocated at create; 'None' makes a headless service. */
    clusterIP?: string;
    clusterIPs?: string[];
    sessionAffinity?: 'None' | 'ClientIP';
    /** How long a client sticks to one endpoint with ClientIP affinity (default 10800 s, as Kubernetes). */
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
    /** Ready or not, every selected pod is in addresses (peers find each other while starting). */
    publishNotReadyAddresses?: boolean;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface EndpointAddress {
  ip: string;
  /** The pod's spec.hostname when its spec.subdomain names this Service: DNS answers <hostname>.<svc>.<ns>.svc. */
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; name: string; namespace?: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** The pods behind a Service (kept by the Endpoints controller), as Kubernetes' v1 Endpoints. */
export interface Endpoints extends KObject {
  kind: 'Endpoints';
  subsets?: EndpointSubset[];
}

export interface ConfigMap extends KObject {
  kind: 'ConfigMap';
  /** Once true, data and binaryData can no longer change (nor can it be unset). */
  immutable?: boolean;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

export interface Secret extends KObject {
  kind: 'Secret';
  /** Once true, data can no longer change (nor can it be unset). */
  immutable?: boolean;
  type?: string;
  /** base64 values, as in Kubernetes. */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** An identity for pods; stored and recorded on pods (spec.serviceAccountName), no tokens issued. */
export interface ServiceAccount extends KObject {
  kind: 'ServiceAccount';
  secrets?: { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string; resourceVersion?: string; fieldPath?: string }[];
  imagePullSecrets?: { name: string }[];
  automountServiceAccountToken?: boolean;
}

export interface Namespace extends KObject {
  kind: 'Namespace';
  spec?: { finalizers?: string[] };
  status?: { phase?: 'Active' | 'Terminating' };
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

export interface NodeSpec {
  unschedulable?: boolean;
  taints?: Taint[];
  /** This node's pod subnet (a /24 of the cluster CIDR), allocated by the controller. */
  podCIDR?: string;
  podCIDRs?: string[];
}

export interface NodeStatus {
  capacity?: { cpu: string; memory: string; pods: string };
  allocatable?: { cpu: string; memory: string; pods: string };
  conditions?: Condition[];
  addresses?: { type: 'InternalIP' | 'Hostname'; address: string }[];
  nodeInfo?: {
    operatingSystem: string;
    architecture: string;
    kernelVersion: string;
    containerRuntimeVersion: string;
    kiteVersion: string;
  };
  daemonEndpoints?: { metricsPort: number; streamPort: number };
  /** Last usage the agent reported (for `kite top`). */
  usage?: { cpu: string; memory: string; timestamp: string };
  /** Images the node's engine holds, largest first (bounded), as Kubernetes' Node.status.images. */
  images?: NodeImageStatus[];
}

export interface NodeImageStatus {
  names: string[];
  sizeBytes: number;
}

export interface Node extends KObject {
  kind: 'Node';
  spec: NodeSpec;
  status?: NodeStatus;
}

export interface Event extends KObject {
  kind: 'Event';
  involvedObject: { kind: string; namespace?: string; name: string; uid?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source?: { component: string; host?: string };
}

// ---- storage (PersistentVolume, PersistentVolumeClaim, StorageClass) --------------------------

export type PersistentVolumeAccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

/** Which claim a PersistentVolume is bound (or reserved) to. */
export interface ClaimReference {
  kind?: string;
  apiVersion?: string;
  namespace: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

export interface PersistentVolumeClaimSpec {
  accessModes?: PersistentVolumeAccessMode[];
  resources?: { requests?: { storage?: string | number }; limits?: { storage?: string | number } };
  /** Absent: the default StorageClass; "": only volumes without a class. */
  storageClassName?: string;
  volumeName?: string;
  selector?: LabelSelector;
  volumeMode?: 'Filesystem';
}

export interface PersistentVolumeClaim extends KObject {
  kind: 'PersistentVolumeClaim';
  spec: PersistentVolumeClaimSpec;
  status?: { phase?: 'Pending' | 'Bound' | 'Lost'; capacity?: { storage?: string }; accessModes?: PersistentVolumeAccessMode[] };
}

export interface PersistentVolumeSpec {
  capacity?: { storage?: string | number };
  accessModes?: PersistentVolumeAccessMode[];
  persistentVolumeReclaimPolicy?: 'Retain' | 'Delete' | 'Recycle';
  storageClassName?: string;
  hostPath?: { path: string; type?: string };
  local?: { path: string; fsType?: string };
  nodeAffinity?: { required?: { nodeSelectorTerms: NodeSelectorTerm[] } };
  claimRef?: ClaimReference;
  volumeMode?: 'Filesystem';
  mountOptions?: string[];
}

export interface PersistentVolume extends KObject {
  kind: 'PersistentVolume';
  spec: PersistentVolumeSpec;
  status?: { phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed'; reason?: string; message?: string };
}

export interface StorageClass extends KObject {
  kind: 'StorageClass';
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: 'Delete' | 'Retain';
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
}
