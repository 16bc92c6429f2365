// Kubernetes resource quantities in the engine's units, from the one quantity parser the whole
// product uses (common/manifest/quantity), so the agent never reads "500m" differently from admission.
import { parseCpu, parseMemory } from '../../common/manifest/quantity';

export const cpuToNanoCpus = (q: string | number) => Math.round(parseCpu(q) * 1e6);
export const memoryToBytes = (q: string | number) => Math.round(parseMemory(q));
/** Docker's relative weight: 1024 per core, as the kubelet maps requests (min 2). */
export const cpuToShares = (q: string | number) => Math.max(2, Math.round((parseCpu(q) * 1024) / 1000));
