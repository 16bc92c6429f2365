// How a container's security settings (its own securityContext over the pod's) become the
// engine's: privilege, user and groups, no-new-privileges, seccomp, AppArmor, capabilities,
// sysctls and the host's PID/IPC namespaces. Pure, so the mapping is tested without an engine;
// docker.ts applies it.
import type Docker from 'dockerode';
import type { AppArmorProfile, Container, Pod, SecurityContext } from '../../common/api/types';
import { canonicalSysctl, sysctlNamespace } from '../../common/manifest/sysctls';

export interface ContainerSecurity {
  privileged: boolean;
  readonlyRootfs: boolean;
  /**
   * Docker's User: "uid" or "uid:gid"; undefined runs as the image's user. With a uid and no
   * runAsGroup the engine takes the uid's primary group from the image's /etc/passwd, else 0:
   * what the kubelet does.
   */
  user?: string;
  /** Docker's GroupAdd: the pod's supplementalGroups, then its fsGroup. */
  groupAdd?: string[];
  /** The uid the container asks for, if any (container's, else the pod's). */
  uid?: number;
  /** The container must not run as root; with no uid the image's user decides (see nonRootProblem). */
  runAsNonRoot: boolean;
  /** Docker's SecurityOpt (apparmor=...), without a Localhost seccomp profile (its content is read by the executor). */
  securityOpt: string[];
  /** A Localhost seccomp profile: a file name under the agent's seccomp dir. */
  seccompLocalhost?: string;
  capAdd?: string[];
  capDrop?: string[];
  pidMode?: 'host';
  ipcMode?: 'host';
}

/**
 * The effective settings of `container` in `pod`. Every container runs with no-new-privileges (a
 * setuid binary cannot gain root) unless it is privileged or sets allowPrivilegeEscalation: true;
 * seccomp is the engine's default profile unless the pod or container says Unconfined or Localhost.
 */
export function containerSecurity(pod: Pod, container: Container): ContainerSecurity {
  const podSc = pod.spec.securityContext ?? {};
  const sc: SecurityContext = container.securityContext ?? {};
  const privileged = sc.privileged === true;
  const uid = sc.runAsUser ?? podSc.runAsUser;
  const gid = sc.runAsGroup ?? podSc.runAsGroup;
  const seccomp = sc.seccompProfile ?? podSc.seccompProfile;
  const appArmor = appArmorOpt(sc.appArmorProfile ?? podSc.appArmorProfile);
  const securityOpt: string[] = [];
  if (!privileged && sc.allowPrivilegeEscalation !== true) securityOpt.push('no-new-privileges');
  if (seccomp?.type === 'Unconfined') securityOpt.push('seccomp=unconfined');
  if (appArmor) securityOpt.push(appArmor);
  const groups = [...(podSc.supplementalGroups ?? []), ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : [])];
  return {
    privileged,
    readonlyRootfs: sc.readOnlyRootFilesystem === true,
    ...(uid !== undefined ? { uid, user: gid !== undefined ? `${uid}:${gid}` : String(uid) } : {}),
    ...(groups.length ? { groupAdd: [...new Set(groups)].map(String) } : {}),
    runAsNonRoot: (sc.runAsNonRoot ?? podSc.runAsNonRoot) === true,
    securityOpt,
    ...(seccomp?.type === 'Localhost' && seccomp.localhostProfile ? { seccompLocalhost: seccomp.localhostProfile } : {}),
    ...(sc.capabilities?.add ? { capAdd: sc.capabilities.add.map(capabilityName) } : {}),
    ...(sc.capabilities?.drop ? { capDrop: sc.capabilities.drop.map(capabilityName) } : {}),
    ...(pod.spec.hostPID ? { pidMode: 'host' as const } : {}),
    ...(pod.spec.hostIPC ? { ipcMode: 'host' as const } : {}),
  };
}

/**
 * A capability as the engine names it: "CAP_" and upper case ("net_admin", "NET_ADMIN" and
 * "CAP_NET_ADMIN" are one capability, as containerd and Docker read them); "ALL" stays ALL.
 */
export function capabilityName(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/** Docker's SecurityOpt for an AppArmor profile (ignored by an engine whose host has no AppArmor). */
function appArmorOpt(profile: AppArmorProfile | undefined): string | undefined {
  switch (profile?.type) {
    case 'RuntimeDefault':
      return 'apparmor=docker-default';
    case 'Unconfined':
      return 'apparmor=unconfined';
    case 'Localhost':
      return profile.localhostProfile ? `apparmor=${profile.localhostProfile}` : undefined;
    default:
      return undefined;
  }
}

/**
 * The pod's sysctls for one container: those of the IPC namespace (each container has its own),
 * and those of the network namespace only for the container owning it (the sandbox, or the pod's
 * one container when it has none). Undefined: none.
 */
export function podSysctls(pod: Pod, ownsNetwork: boolean): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const { name, value } of pod.spec.securityContext?.sysctls ?? []) {
    const ns = sysctlNamespace(name);
    if (ns === 'ipc' || (ownsNetwork && !pod.spec.hostNetwork)) out[canonicalSysctl(name)] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The engine's HostConfig fields for `sec`; `seccompJson` is the content of its Localhost profile, if it has one. */
export function securityHostConfig(sec: ContainerSecurity, seccompJson?: string): Docker.HostConfig {
  const securityOpt = [...sec.securityOpt, ...(seccompJson !== undefined ? [`seccomp=${seccompJson}`] : [])];
  return {
    Privileged: sec.privileged,
    ReadonlyRootfs: sec.readonlyRootfs,
    ...(sec.groupAdd ? { GroupAdd: sec.groupAdd } : {}),
    ...(securityOpt.length ? { SecurityOpt: securityOpt } : {}),
    ...(sec.capAdd ? { CapAdd: sec.capAdd } : {}),
    ...(sec.capDrop ? { CapDrop: sec.capDrop } : {}),
    ...(sec.pidMode ? { PidMode: sec.pidMode } : {}),
    ...(sec.ipcMode ? { IpcMode: sec.ipcMode } : {}),
  };
}

/**
 * Why a runAsNonRoot container may not start, as the kubelet decides it: its uid is 0, or it has
 * none and the image's user (Config.User: "name", "uid" or "uid:gid"; empty is root) is root or a
 * name that cannot be checked. Undefined: it may start.
 */
export function nonRootProblem(sec: ContainerSecurity, imageUser: string | undefined): string | undefined {
  if (!sec.runAsNonRoot) return undefined;
  if (sec.uid !== undefined) return sec.uid === 0 ? "container's runAsUser breaks non-root policy (runAsNonRoot with runAsUser 0)" : undefined;
  const user = (imageUser ?? '').split(':')[0]!.trim();
  if (user === '' || user === 'root' || user === '0') return 'container has runAsNonRoot and image will run as root';
  if (!/^\d+$/.test(user)) return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root`;
  return undefined;
}
