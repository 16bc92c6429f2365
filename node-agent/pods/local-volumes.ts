// PersistentVolumeClaim volumes on the node: the directory of the claim's bound volume, which the
// controller bundles with the pod (a claim it did not bundle is not bound: the pod waits, never
// running without its volume); and the removal of a deleted local-path volume's directory, which
// the controller asks for explicitly. Removal is confined to this agent's storage dir: only a
// `pvc-*` directory directly inside it, reached without symlinks, is ever removed.
import { chmod, lstat, mkdir, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, normalize } from 'node:path';
import type { Pod, Volume } from '../../common/api/types';

/** A bound claim's directory on this node, as the controller sent it with the pod. */
export interface ClaimVolumePath {
  claimName: string;
  path: string;
}

/** A claim volume cannot be mounted (yet): the container waits and the reason is reported. */
export class ClaimVolumeError extends Error {
  override name = 'ClaimVolumeError';
}

/** Whether `path` is a volume directory directly inside `storageDir`, by name alone. */
export function isInStorageDir(storageDir: string, path: string): boolean {
  if (!isAbsolute(path) || normalize(path) !== path || path.split('/').includes('..')) return false;
  return dirname(path) === normalize(storageDir).replace(/\/+$/, '') && basename(path).startsWith('pvc-');
}

/**
 * The host directory of the pod's claim volume. A local-path directory (inside the storage dir) is
 * created on first use, mode 0777 as k3s's local-path provisioner makes it, or 0770 when the pod
 * has an fsGroup (which then owns it); any other volume path (an admin's hostPath or local
 * volume) must already exist.
 */
export async function claimVolumeDir(pod: Pod, vol: Volume, claims: readonly ClaimVolumePath[], storageDir: string | undefined): Promise<string> {
  const claimName = vol.persistentVolumeClaim!.claimName;
  const bound = claims.find((c) => c.claimName === claimName);
  if (!bound) throw new ClaimVolumeError(`persistentvolumeclaim "${claimName}" is not bound yet`);
  const path = bound.path;
  if (!isAbsolute(path) || path.split('/').includes('..')) throw new ClaimVolumeError(`persistentvolumeclaim "${claimName}": volume path ${JSON.stringify(path)} is not an absolute path`);
  if (storageDir && isInStorageDir(storageDir, path)) {
    await mkdir(storageDir, { recursive: true, mode: 0o711 });
    const created = await mkdir(path, { recursive: true });
    if (created !== undefined) await chmod(path, pod.spec.securityContext?.fsGroup !== undefined ? 0o770 : 0o777);
    return path;
  }
  const s = await stat(path).catch(() => undefined);
  if (!s?.isDirectory()) throw new ClaimVolumeError(`persistentvolumeclaim "${claimName}": directory ${path} does not exist on this node`);
  return path;
}

/**
 * Removes a deleted local volume's directory. Refuses anything but a `pvc-*` directory directly in
 * the storage dir, and a path that is (or whose storage dir resolves through) a symlink elsewhere.
 * A directory already gone counts as removed (the report may have been lost).
 */
export async function removeLocalVolume(storageDir: string, path: string): Promise<void> {
  if (!isInStorageDir(storageDir, path)) throw new Error(`${path} is not a volume directory in the storage dir ${storageDir}; not removed`);
  const entry = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (!entry) return;
  if (!entry.isDirectory()) throw new Error(`${path} is not a directory; not removed`);
  const realDir = await realpath(storageDir);
  if ((await realpath(dirname(path))) !== realDir) throw new Error(`${path} does not resolve inside ${storageDir}; not removed`);
  await rm(path, { recursive: true, force: true });
}
