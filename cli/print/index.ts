// The CLI's printing layer: pure functions from resources to the text `kite` prints.
export { formatAge, formatSpan, formatTimestamp, humanDuration } from './age';
export { renderTable } from './table';
export { type GetOptions, jobStatus, noResourcesMessage, nodeStatus, printGet } from './get';
export { type DescribeExtra, type DescribeOptions, printDescribe } from './describe';
export { type ListObject, type OutputFormat, printObjects, toJson, toList, toYaml } from './output';
export { Progress, type ProgressStream } from './progress';
export { summarizePod, type PodSummary } from './pod-status';
export { formatLabels, formatSelector } from './labels';
