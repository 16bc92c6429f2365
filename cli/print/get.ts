// `kite get` tables, column for column as `kubectl get` prints them.
import { lookupKind } from '../../common/api/kinds';
import { nodeReadyCondition } from '../../common/api/node';
import type {
  ConfigMap, Container, DaemonSet, Deployment, Event, Job, KObject, Namespace, Node, Pod, ReplicaSet, Secret, Service,
} from '../../common/api/types';
import { formatAge, humanDuration, formatSpan, parseTime } from './age';
import { formatLabels, formatSelector, nodeRoles } from './labels';
import { summarizePod } from './pod-status';
import { renderTable } from './table';

export interface GetOptions {
  /** `-o wide`: extra columns. */
  wide?: boolean;
  /** `-A`: a leading NAMESPACE column. */
  allNamespaces?: boolean;
  /** Current time in ms, for AGE columns. */
  now: number;
}

interface Columns<T> {
  headers: string[];
  wideHeaders: string[];
  row(obj: T, now: number): string[];
  wideRow(obj: T, now: number): string[];
}

const age = (o: KObject, now: number) => formatAge(o.metadata.creationTimestamp, now);

const containerCells = (containers: Container[]) => [
  containers.map((c) => c.name).join(','),
  containers.map((c) => c.image).join(','),
];

const pods: Columns<Pod> = {
  headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
  // kubectl also shows NOMINATED NODE and READINESS GATES; Kite has neither.
  wideHeaders: ['IP', 'NODE'],
  row(p, now) {
    const s = summarizePod(p, now);
    return [p.metadata.name, s.ready, s.status, s.restarts, age(p, now)];
  },
  wideRow: (p) => [p.status?.podIP || '<none>', p.spec.nodeName || '<none>'],
};

const deployments: Columns<Deployment> = {
  headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row: (d, now) => [
    d.metadata.name,
    `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
    String(d.status?.updatedReplicas ?? 0),
    String(d.status?.availableReplicas ?? 0),
    age(d, now),
  ],
  wideRow: (d) => [...containerCells(d.spec.template.spec.containers), formatSelector(d.spec.selector)],
};

const replicasets: Columns<ReplicaSet> = {
  headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
  wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row: (rs, now) => [
    rs.metadata.name,
    String(rs.spec.replicas ?? 0),
    String(rs.status?.replicas ?? 0),
    String(rs.status?.readyReplicas ?? 0),
    age(rs, now),
  ],
  wideRow: (rs) => [...containerCells(rs.spec.template.spec.containers), formatSelector(rs.spec.selector)],
};

const daemonsets: Columns<DaemonSet> = {
  headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
  wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row: (ds, now) => [
    ds.metadata.name,
    String(ds.status?.desiredNumberScheduled ?? 0),
    String(ds.status?.currentNumberScheduled ?? 0),
    String(ds.status?.numberReady ?? 0),
    String(ds.status?.updatedNumberScheduled ?? 0),
    String(ds.status?.numberAvailable ?? 0),
    formatLabels(ds.spec.template.spec.nodeSelector),
    age(ds, now),
  ],
  wideRow: (ds) => [...containerCells(ds.spec.template.spec.containers), formatSelector(ds.spec.selector)],
};

/** kubectl 1.28+ job STATUS. */
export function jobStatus(job: Job): string {
  const has = (type: string) => job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Run time so far, or start-to-completion once done; "" before the job starts. */
export function jobDuration(job: Job, now: number): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  if (job.status?.completionTime) return formatSpan(job.status.startTime, job.status.completionTime);
  return humanDuration(now - start);
}

const jobs: Columns<Job> = {
  headers: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
  wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row: (j, now) => [j.metadata.name, jobStatus(j), jobCompletions(j), jobDuration(j, now), age(j, now)],
  wideRow: (j) => [...containerCells(j.spec.template.spec.containers), formatSelector(j.spec.selector)],
};

/** "80/TCP,443:30443/TCP", or "<none>". */
export function servicePorts(svc: Service): string {
  const ports = (svc.spec.ports ?? []).map((p) => {
    const proto = p.protocol ?? 'TCP';
    return p.nodePort ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
  });
  return ports.length ? ports.join(',') : '<none>';
}

const services: Columns<Service> = {
  headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
  wideHeaders: ['SELECTOR'],
  row: (s, now) => [
    s.metadata.name,
    s.spec.type ?? 'ClusterIP',
    s.spec.clusterIP || '<none>',
    // Kite has no load balancer integration, so nothing ever gets an external IP.
    s.spec.type === 'LoadBalancer' ? '<pending>' : '<none>',
    servicePorts(s),
    age(s, now),
  ],
  wideRow: (s) => [formatLabels(s.spec.selector)],
};

const configmaps: Columns<ConfigMap> = {
  headers: ['NAME', 'DATA', 'AGE'],
  wideHeaders: [],
  row: (cm, now) => [
    cm.metadata.name,
    String(Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length),
    age(cm, now),
  ],
  wideRow: () => [],
};

/** Keys a Secret holds; stringData (write-only in Kubernetes) is merged into data by the server. */
export function secretKeys(s: Secret): string[] {
  return [...new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})])].sort();
}

const secrets: Columns<Secret> = {
  headers: ['NAME', 'TYPE', 'DATA', 'AGE'],
  wideHeaders: [],
  row: (s, now) => [s.metadata.name, s.type || 'Opaque', String(secretKeys(s).length), age(s, now)],
  wideRow: () => [],
};

export function namespacePhase(ns: Namespace): string {
  const phase = (ns.status as { phase?: string } | undefined)?.phase;
  return phase || (ns.metadata.deletionTimestamp ? 'Terminating' : 'Active');
}

const namespaces: Columns<Namespace> = {
  headers: ['NAME', 'STATUS', 'AGE'],
  wideHeaders: [],
  row: (ns, now) => [ns.metadata.name, namespacePhase(ns), age(ns, now)],
  wideRow: () => [],
};

/** "Ready", "NotReady", "Unknown", plus ",SchedulingDisabled" when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = nodeReadyCondition(node);
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function nodeInternalIP(node: Node): string {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>';
}

const nodes: Columns<Node> = {
  headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
  // kubectl also has EXTERNAL-IP; Kite nodes have none. Kite reports no OS image, so OS-IMAGE shows the OS.
  wideHeaders: ['INTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  row: (n, now) => [n.metadata.name, nodeStatus(n), nodeRoles(n.metadata.labels).join(',') || '<none>', age(n, now), n.status?.nodeInfo?.kiteVersion ?? ''],
  wideRow: (n) => {
    const info = n.status?.nodeInfo;
    return [
      nodeInternalIP(n),
      info?.operatingSystem || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};

/** "pod/web-1", or just the kind when the object has no name. */
export function eventObject(e: Event): string {
  const kind = e.involvedObject.kind.toLowerCase();
  return e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind;
}

const eventLastSeen = (e: Event, now: number) => formatAge(e.lastTimestamp || e.firstTimestamp, now);

const events: Columns<Event> = {
  headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
  wideHeaders: [],
  row: (e, now) => [eventLastSeen(e, now), e.type, e.reason, eventObject(e), e.message.trim()],
  wideRow: () => [],
};

const generic: Columns<KObject> = {
  headers: ['NAME', 'AGE'],
  wideHeaders: [],
  row: (o, now) => [o.metadata.name, age(o, now)],
  wideRow: () => [],
};

const COLUMNS: Record<string, Columns<never>> = {
  Pod: pods, Deployment: deployments, ReplicaSet: replicasets, DaemonSet: daemonsets, Job: jobs, Service: services,
  ConfigMap: configmaps, Secret: secrets, Namespace: namespaces, Node: nodes, Event: events,
};

/** Events oldest first, so the newest is at the bottom (as `kubectl events` orders them). */
export function sortEventsByLastSeen<E extends Event>(list: readonly E[]): E[] {
  const at = (e: Event) => parseTime(e.lastTimestamp || e.firstTimestamp) ?? 0;
  // Timestamps have one-second precision: within a second, the store's revision gives the order.
  const rv = (e: Event) => Number(e.metadata.resourceVersion ?? 0);
  return [...list].sort((a, b) => at(a) - at(b) || rv(a) - rv(b));
}

/**
 * The `kubectl get` table for objects of one kind. `kind` is anything the CLI accepts
 * ("pods", "po", "Pod"); unknown kinds get NAME and AGE. Objects keep the caller's order,
 * except events, which are sorted by last seen. Returns "" for an empty list (print
 * `noResourcesMessage` then), else text ending in "\n".
 */
export function printGet(kind: string, objects: readonly KObject[], opts: GetOptions): string {
  if (objects.length === 0) return '';
  const resolved = lookupKind(kind)?.kind ?? kind;
  const cols = (COLUMNS[resolved] ?? generic) as Columns<KObject>;
  const list = resolved === 'Event' ? sortEventsByLastSeen(objects as Event[]) : objects;

  const headers = [...(opts.allNamespaces ? ['NAMESPACE'] : []), ...cols.headers, ...(opts.wide ? cols.wideHeaders : [])];
  const rows = list.map((o) => [
    ...(opts.allNamespaces ? [o.metadata.namespace ?? ''] : []),
    ...cols.row(o, opts.now),
    ...(opts.wide ? cols.wideRow(o, opts.now) : []),
  ]);
  return renderTable(headers, rows);
}

/** What kubectl prints (to stderr) for an empty list; `namespace` undefined means all namespaces. */
export function noResourcesMessage(namespace: string | undefined): string {
  return namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`;
}
