// The CLI's printing layer: pure functions from resources to the text `kite` prints.
export { formatAge, formatSpan, formatTimestamp, humanDuration } from '../../common/print/age';
export { renderTable } from './table';
export { type GetOptions, noResourcesMessage, printGet } from './get';
export { type DescribeExtra, type DescribeOptions, printDescribe } from './describe';
export { type ListObject, type OutputFormat, printObjects, toJson, toList, toYaml } from './output';
export { Progress, type ProgressStream } from './progress';
export { summarizePod, type PodSummary } from '../../common/print/pod-status';
export { formatLabels, formatSelector } from '../../common/print/labels';
