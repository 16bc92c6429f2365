// Where a node keeps its pods' Secret volumes: a directory on tmpfs (memory), so Secret values
// never reach the node's disk, as the kubelet does. The agent checks the directory at start and
// mounts a tmpfs there when it is not one already; each pod's Secret volumes live in
// <secretsDir>/<pod uid>/<volume> and go with the pod.
import * as fs from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../common/errors';
import type { CommandRunner } from '../network/commands';

/** statfs f_type of tmpfs (linux/magic.h TMPFS_MAGIC). */
export const TMPFS_MAGIC = 0x01021994;
export const SECRETS_TMPFS_OPTIONS = 'mode=0700,size=64m';
/** Left in a tmpfs the agent mounted, so `kite-agent --cleanup` unmounts only what the agent mounted. */
export const MOUNTED_MARKER = '.kite-agent-mounted';

const POD_UID_RE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

export interface SecretsDirHost {
  statfs(dir: string): { type: number };
  runner: CommandRunner;
}

export function hostOf(runner: CommandRunner): SecretsDirHost {
  return { statfs: (dir) => fs.statfsSync(dir), runner };
}

export const isTmpfs = (host: SecretsDirHost, dir: string) => host.statfs(dir).type === TMPFS_MAGIC;

/**
 * Makes `dir` (mode 0700) a tmpfs: kept when it already is one, else a tmpfs is mounted on it.
 * Fails with what to do when it cannot be (not root, no mount).
 */
export async function ensureSecretsDir(dir: string, host: SecretsDirHost): Promise<'tmpfs' | 'mounted'> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.promises.chmod(dir, 0o700);
  if (isTmpfs(host, dir)) return 'tmpfs';
  try {
    await host.runner.run('mount', ['-t', 'tmpfs', '-o', SECRETS_TMPFS_OPTIONS, 'tmpfs', dir]);
  } catch (e) {
    throw new Error(
      `secrets dir ${dir} is not on tmpfs and mounting one there failed (${errorMessage(e)}); ` +
        `run the agent as root, or point --secrets-dir at a tmpfs (e.g. under /dev/shm) so Secret volumes stay off the disk`,
    );
  }
  if (!isTmpfs(host, dir)) throw new Error(`secrets dir ${dir}: mounted a tmpfs, but the directory is still not on tmpfs`);
  fs.writeFileSync(join(dir, MOUNTED_MARKER), '', { mode: 0o600 });
  return 'mounted';
}

/** `kite-agent --cleanup`: unmounts the tmpfs the agent mounted on `dir` (which drops its files). */
export async function cleanupSecretsDir(dir: string, host: SecretsDirHost): Promise<{ done: string[]; problems: string[] }> {
  const r = { done: [] as string[], problems: [] as string[] };
  if (!fs.existsSync(join(dir, MOUNTED_MARKER)) || !isTmpfs(host, dir)) return r;
  try {
    await host.runner.run('umount', [dir]);
    r.done.push(`unmounted the secrets tmpfs at ${dir}`);
  } catch (e) {
    r.problems.push(`secrets tmpfs ${dir}: ${errorMessage(e)}`);
  }
  return r;
}

/**
 * Where one Secret volume of a pod lives; undefined when the uid is not a plain name (it becomes
 * a path: nothing may climb out of the secrets dir).
 */
export function secretVolumeDir(secretsDir: string, podUid: string, volume: string): string | undefined {
  return POD_UID_RE.test(podUid) ? join(secretsDir, podUid, volume) : undefined;
}

/** Removes a pod's Secret volumes (with the pod's other files). */
export async function removePodSecrets(secretsDir: string | undefined, podUid: string): Promise<void> {
  if (!secretsDir || !POD_UID_RE.test(podUid)) return;
  await rm(join(secretsDir, podUid), { recursive: true, force: true });
}
