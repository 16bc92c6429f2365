// How a container's security settings (its own securityContext over the pod's) become the
// engine's: privilege, user, no-new-privileges, seccomp, capabilities and the host's PID/IPC
// namespaces. Pure, so the mapping is tested without an engine; docker.ts applies it.
import type Docker from 'dockerode';
import type { Container, Pod, SecurityContext } from '../../common/api/types';

export interface ContainerSecurity {
  privileged: boolean;
  readonlyRootfs: boolean;
  /** Docker's User: "uid" or "uid:gid"; undefined runs as the image's user. */
  user?: string;
  /** The uid the container asks for, if any (container's, else the pod's). */
  uid?: number;
  /** The container must not run as root; with no uid the image's user decides (see nonRootProblem). */
  runAsNonRoot: boolean;
  /** Docker's SecurityOpt, without a Localhost seccomp profile (its content is read by the executor). */
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
  const securityOpt: string[] = [];
  if (!privileged && sc.allowPrivilegeEscalation !== true) securityOpt.push('no-new-privileges');
  if (seccomp?.type === 'Unconfined') securityOpt.push('seccomp=unconfined');
  return {
    privileged,
    readonlyRootfs: sc.readOnlyRootFilesystem === true,
    ...(uid !== undefined ? { uid, user: gid !== undefined ? `${uid}:${gid}` : String(uid) } : {}),
    runAsNonRoot: (sc.runAsNonRoot ?? podSc.runAsNonRoot) === true,
    securityOpt,
    ...(seccomp?.type === 'Localhost' && seccomp.localhostProfile ? { seccompLocalhost: seccomp.localhostProfile } : {}),
    ...(sc.capabilities?.add ? { capAdd: sc.capabilities.add } : {}),
    ...(sc.capabilities?.drop ? { capDrop: sc.capabilities.drop } : {}),
    ...(pod.spec.hostPID ? { pidMode: 'host' as const } : {}),
    ...(pod.spec.hostIPC ? { ipcMode: 'host' as const } : {}),
  };
}

/** The engine's HostConfig fields for `sec`; `seccompJson` is the content of its Localhost profile, if it has one. */
export function securityHostConfig(sec: ContainerSecurity, seccompJson?: string): Docker.HostConfig {
  const securityOpt = [...sec.securityOpt, ...(seccompJson !== undefined ? [`seccomp=${seccompJson}`] : [])];
  return {
    Privileged: sec.privileged,
    ReadonlyRootfs: sec.readonlyRootfs,
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
