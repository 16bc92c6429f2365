// Building blocks shared by the describe printers, each a port of the kubectl describe helper
// of the same purpose (printLabelsMultiline, describeContainers, DescribeEvents, ...).
import type {
  Container, ContainerStateInfo, ContainerStatus, Event, KObject, PodTemplateSpec, Probe, ResourceList, Toleration, Volume,
} from '../../common/api/types';
import { formatAge, formatTimestamp } from '../../common/print/age';
import { DescribeWriter, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3 } from './describe-writer';
import { sortEventsByLastSeen } from '../../common/kinds/event';
import { formatQuantity } from './quantity';
import { terminationReason } from '../../common/print/pod-status';

/** Time settings every describe section needs. */
export interface DescribeTime {
  now: number;
  /** Offset for printed timestamps; this machine's local offset when undefined (as kubectl). */
  utcOffsetMinutes?: number;
}

const MAX_ANNOTATION_LEN = 140;

export function writeLabels(w: DescribeWriter, title: string, labels: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.write(LEVEL_0, '<none>\n');
  keys.forEach((k, i) => w.write(LEVEL_0, `${i === 0 ? '' : '\t'}${k}=${labels?.[k] ?? ''}\n`));
}

export function writeAnnotations(w: DescribeWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).sort();
  if (keys.length === 0) return w.write(LEVEL_0, '<none>\n');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    const value = (annotations?.[k] ?? '').replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${k}:\n`);
      for (const line of value.split('\n')) w.write(LEVEL_0, `\t  ${shorten(line, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${k}: ${value}\n`);
    }
  });
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** "Kind/name" of the controlling owner, or undefined. */
export function controllerOf(obj: KObject): string | undefined {
  const owner = obj.metadata.ownerReferences?.find((o) => o.controller);
  return owner ? `${owner.kind}/${owner.name}` : undefined;
}

export function writeControlledBy(w: DescribeWriter, obj: KObject): void {
  const by = controllerOf(obj);
  if (by) w.write(LEVEL_0, `Controlled By:\t${by}\n`);
}

/** The Events table, aligned on its own like kubectl's (which flushes before it). */
export function writeEvents(w: DescribeWriter, events: readonly Event[], t: DescribeTime): void {
  if (events.length === 0) return w.write(LEVEL_0, 'Events:\t<none>\n');
  w.flush();
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sortEventsByLastSeen(events)) {
    const first = formatAge(e.firstTimestamp || e.lastTimestamp, t.now);
    const age = e.count > 1 ? `${formatAge(e.lastTimestamp, t.now)} (x${e.count} over ${first})` : first;
    const message = e.message.trim().replace(/\n/g, ' ');
    w.write(LEVEL_1, `${e.type}\t${e.reason}\t${age}\t${e.source?.component ?? ''}\t${message}\n`);
  }
}

export function writeTolerations(w: DescribeWriter, title: string, tolerations: readonly Toleration[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!tolerations?.length) return w.write(LEVEL_0, '<none>\n');
  tolerations.forEach((t, i) => {
    let s = i === 0 ? '' : '\t';
    s += t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    // A bare `operator: Exists` tolerates everything.
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

const printBool = (b: boolean) => (b ? 'True' : 'False');

/**
 * The Containers section. `statuses` is given for pods (adds Container ID, State, Ready, ...);
 * `space` is "  " inside a Pod Template.
 */
export function writeContainers(
  w: DescribeWriter,
  containers: readonly Container[],
  statuses: readonly ContainerStatus[] | undefined,
  space: string,
  t: DescribeTime,
  title: 'Containers' | 'Init Containers' = 'Containers',
): void {
  if (containers.length === 0) return;
  w.write(LEVEL_0, `${space}${title}:\n`);
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  for (const c of containers) {
    const status = byName.get(c.name);
    w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`);
    if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
    w.write(LEVEL_2, `Image:\t${c.image}\n`);
    if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(LEVEL_2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(LEVEL_2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    writeCommand(w, 'Command', c.command);
    writeCommand(w, 'Args', c.args);
    if (status) {
      writeState(w, 'State', status.state, t);
      if (status.lastState?.terminated) writeState(w, 'Last State', status.lastState, t);
      w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
      w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    writeResourceList(w, 'Limits', c.resources?.limits);
    writeResourceList(w, 'Requests', c.resources?.requests);
    if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    writeEnvFrom(w, c);
    writeEnv(w, c);
    writeMounts(w, c);
  }
}

function writeCommand(w: DescribeWriter, title: string, parts: readonly string[] | undefined): void {
  if (!parts?.length) return;
  w.write(LEVEL_2, `${title}:\n`);
  for (const part of parts) for (const line of part.split('\n')) w.write(LEVEL_3, `${line}\n`);
}

function writeState(w: DescribeWriter, title: string, state: ContainerStateInfo, t: DescribeTime): void {
  const ts = (iso: string | undefined) => formatTimestamp(iso, t.utcOffsetMinutes);
  if (state.running) {
    w.write(LEVEL_2, `${title}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${ts(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
    // kubectl omits this, but an image pull error is useless without it.
    if (state.waiting.message) w.write(LEVEL_3, `Message:\t${oneLine(state.waiting.message)}\n`);
  } else if (state.terminated) {
    const term = state.terminated;
    w.write(LEVEL_2, `${title}:\tTerminated\n`);
    w.write(LEVEL_3, `Reason:\t${terminationReason(term)}\n`);
    if (term.message) w.write(LEVEL_3, `Message:\t${oneLine(term.message)}\n`);
    w.write(LEVEL_3, `Exit Code:\t${term.exitCode}\n`);
    w.write(LEVEL_3, `Started:\t${ts(term.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${ts(term.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
  }
}

const oneLine = (s: string) => s.trim().replace(/\s*\n\s*/g, ' ');

function writeResourceList(w: DescribeWriter, title: string, list: ResourceList | undefined): void {
  const names = (Object.keys(list ?? {}) as (keyof ResourceList)[]).filter((k) => list?.[k] !== undefined).sort();
  if (names.length === 0) return;
  w.write(LEVEL_2, `${title}:\n`);
  for (const name of names) w.write(LEVEL_3, `${name}:\t${formatQuantity(name, list?.[name] ?? '')}\n`);
}

/** kubectl's DescribeProbe: "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3". */
export function describeProbe(p: Probe): string {
  const attrs =
    `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s ` +
    `#success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${p.exec.command.join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
    const host = p.httpGet.host ?? '';
    const hostPort = host.includes(':') ? `[${host}]:${p.httpGet.port}` : `${host}:${p.httpGet.port}`;
    return `http-get ${scheme}://${hostPort}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  return `unknown ${attrs}`;
}

function writeEnvFrom(w: DescribeWriter, c: Container): void {
  if (!c.envFrom?.length) return;
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const e of c.envFrom) {
    const ref = e.configMapRef ?? e.secretRef;
    const from = e.configMapRef ? 'ConfigMap' : 'Secret';
    const source = e.prefix ? `${from} with prefix '${e.prefix}'` : from;
    w.write(LEVEL_3, `${ref?.name ?? ''}\t${source}\tOptional: ${ref?.optional === true}\n`);
  }
}

/** Environment: literal values, and references (never the referenced secret's value). */
function writeEnv(w: DescribeWriter, c: Container): void {
  w.write(LEVEL_2, `Environment:${c.env?.length ? '' : '\t<none>'}\n`);
  for (const e of c.env ?? []) {
    const secret = e.valueFrom?.secretKeyRef;
    const cm = e.valueFrom?.configMapKeyRef;
    if (secret) {
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${secret.key}' in secret '${secret.name}'>\tOptional: ${secret.optional === true}\n`);
    } else if (cm) {
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${cm.key}' of config map '${cm.name}'>\tOptional: ${cm.optional === true}\n`);
    } else {
      (e.value ?? '').split('\n').forEach((line, i) => w.write(LEVEL_3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`));
    }
  }
}

function writeMounts(w: DescribeWriter, c: Container): void {
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  w.write(LEVEL_2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
    w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
}

export function writeVolumes(w: DescribeWriter, volumes: readonly Volume[] | undefined, space: string): void {
  if (!volumes?.length) return w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.hostPath) {
      w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || '<none>'}\n`);
    } else if (v.emptyDir) {
      w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit || '<unset>'}\n`);
    } else if (v.secret) {
      w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${v.secret.optional === true}\n`);
    } else if (v.configMap) {
      w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${v.configMap.optional === true}\n`);
    } else {
      w.write(LEVEL_2, `<unknown>\n`);
    }
  }
}

/** kubectl's DescribePodTemplate, used by deployments, replicasets, daemonsets and jobs. */
export function writePodTemplate(w: DescribeWriter, template: PodTemplateSpec, t: DescribeTime): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  writeLabels(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length) writeAnnotations(w, '  Annotations', template.metadata?.annotations);
  writeContainers(w, template.spec.initContainers ?? [], undefined, '  ', t, 'Init Containers');
  writeContainers(w, template.spec.containers, undefined, '  ', t);
  writeVolumes(w, template.spec.volumes, '  ');
  writeLabels(w, '  Node-Selectors', template.spec.nodeSelector);
  writeTolerations(w, '  Tolerations', template.spec.tolerations);
}

/** Condition table rows "Type Status [Reason]" for controllers. */
export function writeConditions(w: DescribeWriter, conditions: readonly { type: string; status: string; reason?: string }[] | undefined): void {
  if (!conditions?.length) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}
