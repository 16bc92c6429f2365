// A pod's fsGroup on the volumes it owns (emptyDir, configMap, secret, downwardAPI,
// persistentVolumeClaim; never hostPath): every file and directory group-owned by fsGroup, group
// readable (and writable unless the volume is read-only), directories setgid so that files the
// containers create inherit the group. As the kubelet's SetVolumeOwnership.
import { chmod, lchown, lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod, Volume } from '../../common/api/types';

export type FsGroupChangePolicy = 'OnRootMismatch' | 'Always';

const SETGID = 0o2000;
const GROUP_RW = 0o660;
const GROUP_RO = 0o440;
const EXEC = 0o110;

/** The mode bits fsGroup adds to one entry (a file keeps its own; the owner and group gain read, and write unless read-only). */
export function fsGroupMode(mode: number, isDir: boolean, readOnly: boolean): number {
  let mask = readOnly ? GROUP_RO : GROUP_RW;
  if (isDir) mask |= SETGID | EXEC;
  return (mode & 0o7777) | mask;
}

/**
 * Whether `dir` already looks done: its group is `gid` and its mode has what fsGroupMode adds.
 * OnRootMismatch skips the walk then (a large volume is not walked on every start).
 */
async function rootMatches(dir: string, gid: number, readOnly: boolean): Promise<boolean> {
  const s = await stat(dir);
  return s.gid === gid && (s.mode & 0o7777) === fsGroupMode(s.mode, true, readOnly);
}

/**
 * Gives `dir` and everything under it to group `gid` (owners unchanged). Symbolic links are not
 * followed (a link in a volume may point anywhere on the node).
 */
export async function applyFsGroup(dir: string, gid: number, opts: { policy?: FsGroupChangePolicy; readOnly?: boolean } = {}): Promise<void> {
  const readOnly = opts.readOnly ?? false;
  if (opts.policy === 'OnRootMismatch' && (await rootMatches(dir, gid, readOnly))) return;
  await walk(dir, gid, readOnly);
}

async function walk(path: string, gid: number, readOnly: boolean): Promise<void> {
  const s = await lstat(path);
  if (s.isSymbolicLink()) return;
  const isDir = s.isDirectory();
  await lchown(path, s.uid, gid);
  await chmod(path, fsGroupMode(s.mode, isDir, readOnly));
  if (!isDir) return;
  for (const name of await readdir(path)) await walk(join(path, name), gid, readOnly);
}

/**
 * The pod's fsGroup on the volume `vol` prepared at `dir`, if the pod has one and the volume is
 * the pod's own (not hostPath: the node's files are never re-owned). ConfigMap, Secret and
 * downward API volumes are read-only and always walked (they were just written); emptyDir and
 * persistentVolumeClaim volumes follow the pod's fsGroupChangePolicy.
 */
export async function applyPodFsGroup(pod: Pod, vol: Volume, dir: string): Promise<void> {
  const sc = pod.spec.securityContext;
  if (sc?.fsGroup === undefined || vol.hostPath) return;
  const written = !!(vol.configMap || vol.secret || vol.downwardAPI);
  await applyFsGroup(dir, sc.fsGroup, {
    policy: written ? 'Always' : (sc.fsGroupChangePolicy ?? 'Always'),
    readOnly: written || vol.persistentVolumeClaim?.readOnly === true,
  });
}
