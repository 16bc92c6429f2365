// What this host offers: the registration an agent sends.
import * as os from 'node:os';
import type { NodeInfo } from '../common/generated/kite/v1/NodeInfo';
import { invalid } from '../common/errors';
import { KITE_VERSION } from '../common/version';

export interface NodeInfoOptions {
  name: string;
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: string }[];
  address: string;
  metricsPort: number;
  streamPort: number;
  maxPods: number;
  cpuMillis?: number;
  memoryBytes?: number;
  runtime: string;
  runtimeVersion: string;
  /** MAC of this node's VXLAN device, for peers' forwarding entries ('' without one). */
  vtepMac?: string;
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

export function describeNode(o: NodeInfoOptions): NodeInfo {
  return {
    name: o.name,
    labels: o.labels,
    taints: o.taints,
    cpu_millis: String(o.cpuMillis ?? os.cpus().length * 1000),
    memory_bytes: String(o.memoryBytes ?? os.totalmem()),
    max_pods: o.maxPods,
    os: process.platform,
    arch: ARCH[process.arch] ?? process.arch,
    kernel_version: os.release(),
    runtime: o.runtime,
    runtime_version: o.runtimeVersion,
    address: o.address,
    metrics_port: o.metricsPort,
    stream_port: o.streamPort,
    agent_version: KITE_VERSION,
    hostname: os.hostname(),
    vtep_mac: o.vtepMac ?? '',
  };
}

/** `k=v,k2=v2` -> map; errors name the bad pair. */
export function parseLabels(s: string | undefined, flag = '--labels'): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s) return out;
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) throw invalid(`${flag}: "${part}" is not key=value`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** `key=value:Effect,key2:Effect` -> taints. */
export function parseTaints(s: string | undefined): { key: string; value: string; effect: string }[] {
  if (!s) return [];
  return s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(part);
      if (!m) throw invalid(`--taints: "${part}" is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute`);
      return { key: m[1]!, value: m[2] ?? '', effect: m[3]! };
    });
}
