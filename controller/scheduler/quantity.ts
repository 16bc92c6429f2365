// The scheduler's view of resource quantities: cpu in millicores, memory in bytes. One parser for
// the whole product (common/manifest/quantity), so admission and scheduling never disagree.
export { parseCpu as parseCpuMillis, parseMemory as parseMemoryBytes } from '../../common/manifest/quantity';
