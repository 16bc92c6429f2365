// A Compose service -> the pod template of its workload: the container, storage, placement,
// hostname, grace period, labels, network settings, and the depends-on gate.
import type { PodSpec, PodTemplateSpec } from '../api/types';
import { dns1123LabelError, labelKeyError, labelValueError } from '../manifest/names';
import { serviceContainer } from './container';
import { DEPENDS_ON_ANNOTATION, DEPENDS_ON_GATE, type Dependency } from './depends-on';
import { keyValueMapping } from './merge';
import { placement } from './placement';
import { type ServiceContext, isObj, stringList, warn } from './service-context';
import { podStorage, type StorageOptions } from './storage';
import { wholeSeconds } from './units';

/** The pod spec Kite accepts once the depends-on gate lands in common/api/types.ts (schedulingGates). */
export type GatedPodSpec = PodSpec & { schedulingGates?: { name: string }[] };

export interface SplitLabels {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Compose labels that are valid Kubernetes labels stay labels; the others (long values, odd keys) become annotations. */
export function splitLabels(raw: unknown): SplitLabels {
  const out: SplitLabels = { labels: {}, annotations: {} };
  for (const [k, v] of Object.entries(keyValueMapping(raw))) {
    const value = v === null || v === undefined ? '' : String(v);
    if (!labelKeyError(k) && !labelValueError(value)) out.labels[k] = value;
    else out.annotations[k] = value;
  }
  return out;
}

function networkSettings(ctx: ServiceContext, spec: GatedPodSpec): void {
  const mode = ctx.def.network_mode;
  if (mode === 'host') spec.hostNetwork = true;
  else if (typeof mode === 'string') warn(ctx, 'network_mode', `"${mode}" is not supported by Kite; the pod gets its own network namespace on the pod network`);
  const hosts = keyValueMapping(Array.isArray(ctx.def.extra_hosts) ? ctx.def.extra_hosts.map((s) => String(s).replace(/^([^=:]+)[:=]/, '$1=')) : ctx.def.extra_hosts);
  const byIp = new Map<string, string[]>();
  for (const [host, ip] of Object.entries(hosts)) {
    const addr = String(ip ?? '').replace(/^\[|\]$/g, '');
    byIp.set(addr, [...(byIp.get(addr) ?? []), host]);
  }
  if (byIp.size) spec.hostAliases = [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
  const searches = stringList(ctx.def.dns_search);
  const options = stringList(ctx.def.dns_opt).map((o) => {
    const [name, value] = o.split(':');
    return { name: name!, ...(value !== undefined ? { value } : {}) };
  });
  if (searches.length || options.length) spec.dnsConfig = { ...(searches.length ? { searches } : {}), ...(options.length ? { options } : {}) };
  if (ctx.def.dns !== undefined) warn(ctx, 'dns', 'is ignored: the pod must use the cluster resolver so that service names resolve');
  if (ctx.def.pid === 'host') spec.hostPID = true;
  else if (ctx.def.pid !== undefined) warn(ctx, 'pid', 'only "host" is supported; ignored');
  if (ctx.def.ipc === 'host') spec.hostIPC = true;
  else if (ctx.def.ipc !== undefined && ctx.def.ipc !== 'private' && ctx.def.ipc !== 'shareable') warn(ctx, 'ipc', 'only "host" is supported; ignored');
}

function podSecurity(ctx: ServiceContext, spec: GatedPodSpec): void {
  const sysctls = Object.entries(keyValueMapping(ctx.def.sysctls)).map(([name, value]) => ({ name, value: String(value ?? '') }));
  const groups = stringList(ctx.def.group_add);
  const numeric = groups.filter((g) => /^\d+$/.test(g)).map(Number);
  if (numeric.length !== groups.length) warn(ctx, 'group_add', 'group names cannot be resolved without the image; only numeric groups are kept');
  if (sysctls.length || numeric.length) spec.securityContext = { ...(sysctls.length ? { sysctls } : {}), ...(numeric.length ? { supplementalGroups: numeric } : {}) };
}

export interface PodTemplateInput {
  ctx: ServiceContext;
  labels: Record<string, string>;
  dependencies: Dependency[];
  restartPolicy: PodSpec['restartPolicy'];
  storage: StorageOptions;
}

export function podTemplate(input: PodTemplateInput): PodTemplateSpec & { spec: GatedPodSpec } {
  const { ctx } = input;
  const container = serviceContainer(ctx);
  const storage = podStorage(ctx, input.storage);
  if (storage.mounts.length) container.volumeMounts = storage.mounts;
  const spec: GatedPodSpec = { containers: [container], restartPolicy: input.restartPolicy, ...placement(ctx) };
  if (storage.volumes.length) spec.volumes = storage.volumes;
  if (typeof ctx.def.hostname === 'string') {
    if (dns1123LabelError(ctx.def.hostname)) warn(ctx, 'hostname', `"${ctx.def.hostname}" is not a DNS label; ignored`);
    else spec.hostname = ctx.def.hostname;
  }
  if (ctx.def.stop_grace_period !== undefined) spec.terminationGracePeriodSeconds = wholeSeconds(ctx.def.stop_grace_period as string, `${ctx.project.file}: services.${ctx.name}.stop_grace_period`, 0);
  networkSettings(ctx, spec);
  podSecurity(ctx, spec);
  const annotations: Record<string, string> = { ...splitLabels(ctx.def.labels).annotations, ...keyValueMapping(ctx.def.annotations) } as Record<string, string>;
  if (input.dependencies.length) {
    spec.schedulingGates = [{ name: DEPENDS_ON_GATE }];
    annotations[DEPENDS_ON_ANNOTATION] = JSON.stringify(input.dependencies.map((d) => ({ service: d.service, condition: d.condition })));
  }
  const labels = { ...splitLabels(ctx.def.labels).labels, ...input.labels };
  return { metadata: { labels, ...(Object.keys(annotations).length ? { annotations } : {}) }, spec };
}

export const deployOf = (ctx: ServiceContext): Record<string, unknown> => (isObj(ctx.def.deploy) ? ctx.def.deploy : {});
