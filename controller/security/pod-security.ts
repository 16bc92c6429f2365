// The Pod Security Standards, as Kubernetes' Pod Security Admission checks them, for the fields
// Kite's pod spec has: a pure function from a level and a pod spec to every field that the level
// forbids. `privileged` allows everything; `baseline` refuses the known privilege escalations;
// `restricted` adds the hardening rules. (Kubernetes' baseline refuses every hostPort; Kite's
// refuses the privileged ones below 1024, as issue 11 asks.)
import type { CommonSecurityContext, Container, PodSpec, SecurityContext, Volume } from '../../common/api/types';
import type { PodSecurityLevel } from '../../common/kinds/namespace';
import type { FieldIssue } from '../../common/manifest/schema';

/** Capabilities a baseline container may add: the container runtimes' default set. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** The only capability a restricted container may add. */
export const RESTRICTED_CAPABILITIES: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

/** Volume types a restricted pod may use: none of them reaches the node's own files. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

/** Host ports below this are the node's privileged ports. */
export const LOWEST_UNPRIVILEGED_HOST_PORT = 1024;

/**
 * Every field of `spec` the level forbids, each with its path under `pathPrefix` (the pod spec's
 * own path: `spec` for a Pod, `spec.template.spec` for a workload) and why. Empty: allowed.
 */
export function podSecurityViolations(level: PodSecurityLevel, spec: PodSpec, pathPrefix: string): FieldIssue[] {
  if (level === 'privileged') return [];
  const out: FieldIssue[] = [];
  baseline(spec, pathPrefix, out);
  if (level === 'restricted') restricted(spec, pathPrefix, out);
  return out;
}

function containersOf(spec: PodSpec, prefix: string): { c: Container; path: string }[] {
  const inits = (spec.initContainers ?? []).map((c, i) => ({ c, path: `${prefix}.initContainers[${i}]` }));
  return [...inits, ...(spec.containers ?? []).map((c, i) => ({ c, path: `${prefix}.containers[${i}]` }))];
}

function baseline(spec: PodSpec, prefix: string, out: FieldIssue[]): void {
  const host: [keyof PodSpec, string][] = [['hostNetwork', 'host networking'], ['hostPID', 'the host\'s process namespace'], ['hostIPC', 'the host\'s IPC namespace']];
  for (const [field, what] of host) {
    if (spec[field] === true) out.push({ path: `${prefix}.${field}`, message: `${what} is not allowed` });
  }
  (spec.volumes ?? []).forEach((v, i) => {
    if (v.hostPath) out.push({ path: `${prefix}.volumes[${i}].hostPath`, message: `hostPath volumes are not allowed (volume "${v.name}")` });
  });
  seccompNotUnconfined(spec.securityContext, `${prefix}.securityContext`, out);
  for (const { c, path } of containersOf(spec, prefix)) {
    const sc = c.securityContext ?? {};
    const scPath = `${path}.securityContext`;
    if (sc.privileged === true) out.push({ path: `${scPath}.privileged`, message: `privileged containers are not allowed (container "${c.name}")` });
    const added = (sc.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (added.length) out.push({ path: `${scPath}.capabilities.add`, message: `adding ${added.join(', ')} is not allowed (container "${c.name}"; allowed: ${[...BASELINE_CAPABILITIES].join(', ')})` });
    (c.ports ?? []).forEach((p, i) => {
      if (p.hostPort !== undefined && p.hostPort > 0 && p.hostPort < LOWEST_UNPRIVILEGED_HOST_PORT) {
        out.push({ path: `${path}.ports[${i}].hostPort`, message: `host port ${p.hostPort} is below ${LOWEST_UNPRIVILEGED_HOST_PORT} (container "${c.name}")` });
      }
    });
    seccompNotUnconfined(sc, scPath, out);
  }
}

/** Baseline refuses lifting the seccomp and AppArmor confinement. */
function seccompNotUnconfined(sc: CommonSecurityContext | undefined, path: string, out: FieldIssue[]): void {
  if (sc?.seccompProfile?.type === 'Unconfined') out.push({ path: `${path}.seccompProfile.type`, message: 'seccomp profile Unconfined is not allowed' });
  if (sc?.appArmorProfile?.type === 'Unconfined') out.push({ path: `${path}.appArmorProfile.type`, message: 'AppArmor profile Unconfined is not allowed' });
}

function restricted(spec: PodSpec, prefix: string, out: FieldIssue[]): void {
  (spec.volumes ?? []).forEach((v, i) => {
    const type = volumeType(v);
    // hostPath is already refused by baseline.
    if (type !== 'hostPath' && type !== undefined && !RESTRICTED_VOLUME_TYPES.includes(type)) {
      out.push({ path: `${prefix}.volumes[${i}].${type}`, message: `${type} volumes are not allowed (volume "${v.name}"; allowed: ${RESTRICTED_VOLUME_TYPES.join(', ')})` });
    }
  });
  const pod = spec.securityContext ?? {};
  const podPath = `${prefix}.securityContext`;
  if (pod.runAsUser === 0) out.push({ path: `${podPath}.runAsUser`, message: 'running as user 0 (root) is not allowed' });
  for (const { c, path } of containersOf(spec, prefix)) {
    const sc: SecurityContext = c.securityContext ?? {};
    const scPath = `${path}.securityContext`;
    const who = `container "${c.name}"`;
    if (sc.allowPrivilegeEscalation !== false) {
      out.push({ path: `${scPath}.allowPrivilegeEscalation`, message: `must be false (${who})` });
    }
    // The pod's runAsNonRoot covers containers that do not set their own; an explicit false does not pass.
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot === undefined && pod.runAsNonRoot !== true)) {
      out.push({ path: `${scPath}.runAsNonRoot`, message: `must be true, here or in ${podPath} (${who})` });
    }
    if (sc.runAsUser === 0) out.push({ path: `${scPath}.runAsUser`, message: `running as user 0 (root) is not allowed (${who})` });
    // Restricted wants the profile said explicitly (an explicit Unconfined was already refused by baseline).
    if ((sc.seccompProfile ?? pod.seccompProfile) === undefined) {
      out.push({ path: `${scPath}.seccompProfile.type`, message: `must be RuntimeDefault or Localhost, here or in ${podPath} (${who})` });
    }
    const caps = sc.capabilities ?? {};
    if (!(caps.drop ?? []).includes('ALL')) out.push({ path: `${scPath}.capabilities.drop`, message: `must include ALL (${who})` });
    // Capabilities baseline refused already are not named twice.
    const added = (caps.add ?? []).filter((cap) => !RESTRICTED_CAPABILITIES.has(cap) && BASELINE_CAPABILITIES.has(cap));
    if (added.length) out.push({ path: `${scPath}.capabilities.add`, message: `adding ${added.join(', ')} is not allowed (${who}; only NET_BIND_SERVICE may be added)` });
  }
}

/** The one source field a volume names (validation made sure there is exactly one). */
function volumeType(v: Volume): string | undefined {
  return Object.keys(v).find((k) => k !== 'name' && (v as unknown as Record<string, unknown>)[k] != null);
}
