// Public surface of the scheduler core. Pure: the controller wires it to the store.
export { ClusterSnapshot } from './snapshot';
export { NodeInfo, DEFAULT_MAX_PODS, type Allocatable } from './node-info';
export { podInfoOf, podKey, spreadKeyOf, type PodInfo, type HostPort } from './pod-info';
export { Scheduler, schedule, scheduleAll, type ScheduleResult, type SchedulerOptions } from './scheduler';
export { FitError, formatFitMessage, explainPod, type NodeVerdict } from './explain';
export { DEFAULT_FILTERS, type Filter, type Rejection } from './filters';
export { DEFAULT_SCORERS, MAX_SCORE, type Scorer } from './scorers';
export { parseCpuMillis, parseMemoryBytes } from './quantity';
