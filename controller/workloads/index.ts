// The workload controllers (leader only): ReplicaSets, Deployments, DaemonSets, Jobs, CronJobs and StatefulSets, sharing
// one pod index, and the Compose depends_on controller that releases gated pods. The leader adds the returned components to its list and starts/stops them.
import type { Pod } from '../../common/api/types';
import { PodIndex } from './pod-index';
import type { WorkloadDeps } from './base';
import { ReplicaSetController } from './replicaset';
import { DeploymentController } from './deployment';
import { DaemonSetController } from './daemonset';
import { JobController } from './job';
import { CronJobController } from './cronjob';
import { StatefulSetController } from './statefulset';
import { DependsOnController } from './depends-on';

/** What the workload controllers need (see WorkloadDeps). */
export type WorkloadControllerDeps = WorkloadDeps;

export interface WorkloadComponent {
  readonly name: string;
  start(): void;
  stop(): void;
  /** Resolves when the controller has nothing queued or running. */
  idle(): Promise<void>;
}

export function createWorkloadControllers(deps: WorkloadControllerDeps): WorkloadComponent[] {
  // Created before the controllers so its informer handler runs first and they see current pods.
  const pods = new PodIndex(deps.informers.get<Pod>('Pod'));
  return [new ReplicaSetController(deps, pods), new DeploymentController(deps, pods), new DaemonSetController(deps, pods), new JobController(deps, pods), new StatefulSetController(deps, pods), new CronJobController(deps), new DependsOnController(deps)];
}

export { ReplicaSetController, pickVictims } from './replicaset';
export { DeploymentController, REVISION_ANNOTATION, POD_TEMPLATE_HASH, planRollingUpdate, planRecreate, rollingLimits } from './deployment';
export { DaemonSetController, CONTROLLER_REVISION_HASH } from './daemonset';
export { JobController } from './job';
export { CronJobController } from './cronjob';
export { StatefulSetController } from './statefulset';
export { DependsOnController } from './depends-on';
export { DEPENDS_ON_GATE, DEPENDS_ON_ANNOTATION, COMPOSE_SERVICE_LABEL, type Dependency, type DependencyCondition } from '../../common/api/depends-on';
export { PodIndex } from './pod-index';
export { daemonPodFitsNode, withDaemonTolerations, DAEMON_TOLERATIONS } from './node-eligibility';
