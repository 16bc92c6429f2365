// `kite describe`: one kubectl-style report per object, ending with its Events.
import type {
  ConfigMap, DaemonSet, Deployment, Endpoints, Event, Job, KObject, Namespace, Node, Pod, ReplicaSet, Secret, Service, StatefulSet,
} from '../../common/api/types';
import { describeConfigMap, describeGeneric, describeNamespace, describeSecret, describeService } from './describe-config';
import { describeNode } from './describe-node';
import { describePod } from './describe-pod';
import { type DescribeTime, writeEvents } from './describe-sections';
import { DescribeWriter } from './describe-writer';
import { describeDaemonSet, describeDeployment, describeJob, describeReplicaSet } from './describe-workloads';
import { describeStatefulSet } from './describe-statefulset';

/** Related objects the caller fetched; each section that needs one is shown only when it is given. */
export interface DescribeExtra {
  /** Pod: why it is Pending, when the caller knows better than the PodScheduled condition. */
  pendingReason?: string;
  /**
   * Node: the pods bound to it (terminated ones are skipped) -> Non-terminated Pods and Allocated resources.
   * ReplicaSet/DaemonSet/StatefulSet: their pods -> Pods Status. Service: the pods its selector matches -> Endpoints.
   */
  pods?: Pod[];
  /** Service: its Endpoints object (an empty one when it has none) -> Endpoints, preferred over pods. */
  endpoints?: Endpoints;
  /** Deployment: the ReplicaSets of the deployment -> OldReplicaSets / NewReplicaSet. */
  replicaSets?: ReplicaSet[];
}

export interface DescribeOptions {
  /** Events whose involvedObject is this object. */
  events: Event[];
  /** Current time in ms. */
  now: number;
  extra?: DescribeExtra;
  /** Offset for printed timestamps; this machine's local offset by default (as kubectl). */
  utcOffsetMinutes?: number;
}

/** kubectl describe's report for one object; text ends in "\n". */
export function printDescribe(obj: KObject, opts: DescribeOptions): string {
  const w = new DescribeWriter();
  const t: DescribeTime = { now: opts.now, utcOffsetMinutes: opts.utcOffsetMinutes };
  const extra = opts.extra ?? {};
  let withEvents = true;
  switch (obj.kind) {
    case 'Pod':
      describePod(w, obj as Pod, t, extra.pendingReason);
      break;
    case 'Deployment':
      describeDeployment(w, obj as Deployment, extra.replicaSets, t);
      break;
    case 'ReplicaSet':
      describeReplicaSet(w, obj as ReplicaSet, extra.pods, t);
      break;
    case 'DaemonSet':
      describeDaemonSet(w, obj as DaemonSet, extra.pods, t);
      break;
    case 'Job':
      describeJob(w, obj as Job, t);
      break;
    case 'StatefulSet':
      describeStatefulSet(w, obj as StatefulSet, extra.pods, t);
      break;
    case 'Service':
      describeService(w, obj as Service, extra.pods, extra.endpoints);
      break;
    case 'ConfigMap':
      describeConfigMap(w, obj as ConfigMap);
      break;
    case 'Secret':
      describeSecret(w, obj as Secret);
      withEvents = false; // as kubectl
      break;
    case 'Namespace':
      describeNamespace(w, obj as Namespace);
      withEvents = false;
      break;
    case 'Node':
      describeNode(w, obj as Node, extra.pods, t);
      break;
    default:
      describeGeneric(w, obj, t);
  }
  if (withEvents) writeEvents(w, opts.events, t);
  return w.toString();
}
