// Security for test clusters, as a user gets it: each cluster (etcd endpoint + key prefix) has one
// keys file shared by its controllers; each controller writes the admin's credential at start; a
// join token is created once a controller answers, and every agent of the tests joins with it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KiteClient } from '../../common/client';
import { PLAINTEXT } from '../../common/transport';
import { atRunEnd } from './reaper';

interface ControllerCredentials {
  adminConfig: string;
  token: string;
  caHash: string;
}

const clusterDirs = new Map<string, string>();
const byTarget = new Map<string, ControllerCredentials>();

function removeAtRunEnd(dir: string): void {
  atRunEnd(() => fs.rmSync(dir, { recursive: true, force: true }));
}

/** The directory holding one cluster's keys file and its controllers' admin credentials. */
export function clusterDir(etcd: string, prefix = '/kite'): string {
  const key = `${etcd}|${prefix}`;
  let dir = clusterDirs.get(key);
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-cluster-'));
    removeAtRunEnd(dir);
    clusterDirs.set(key, dir);
  }
  return dir;
}

/** The controller flags for its keys file and the admin credential it writes. */
export function controllerSecurityArgs(etcd: string, prefix: string | undefined, port: number): { args: string[]; adminConfig: string } {
  const dir = clusterDir(etcd, prefix);
  const adminConfig = path.join(dir, `admin-${port}.config`);
  return { args: ['--keys-file', path.join(dir, 'encryption-keys.json'), '--admin-config', adminConfig], adminConfig };
}

/** An admin client once the controller has written the credential (undefined until then). */
export function adminClient(target: string, adminConfig: string, timeoutMs: number, plaintext = false): KiteClient | undefined {
  if (plaintext) return new KiteClient(target, PLAINTEXT, timeoutMs);
  if (!fs.existsSync(adminConfig)) return undefined;
  return KiteClient.fromConfigFile(adminConfig, target, timeoutMs);
}

/** After a controller answers: a join token for the agents that will dial it. */
export async function registerController(target: string, adminConfig: string, client: KiteClient): Promise<void> {
  const res = await client.createToken(0, 'test agents');
  byTarget.set(target, { adminConfig, token: res.token, caHash: res.ca_hash });
}

function credentialsOf(target: string): ControllerCredentials {
  // "ipv4:a:1,b:2" (several controllers): any of them has the cluster's token.
  const c = byTarget.get(target) ?? target.replace(/^ipv4:/, '').split(',').map((t) => byTarget.get(t)).find(Boolean);
  if (!c) throw new Error(`no controller started by the harness answers at ${target}`);
  return c;
}

/** The admin's credential file for a controller the harness started (for `kite` runs). */
export function adminConfigFor(target: string): string | undefined {
  return byTarget.get(target)?.adminConfig;
}

/** `--token T --ca-hash H` for an agent joining the controller at `target`. */
export function joinArgs(target: string): string[] {
  const c = credentialsOf(target);
  return ['--token', c.token, '--ca-hash', c.caHash];
}

/** Join flags, or the plaintext flag when the controller at `target` is the benchmarks' plaintext baseline. */
export function agentSecurityArgs(target: string): string[] {
  return byTarget.has(target) || target.includes(',') ? joinArgs(target) : ['--plaintext-for-benchmarks'];
}

export function joinCredentials(target: string): { token: string; caHash: string } {
  const c = credentialsOf(target);
  return { token: c.token, caHash: c.caHash };
}

/** A fresh directory on tmpfs for an agent's Secret volumes (as the agent requires). */
export function secretsDir(): string {
  const dir = fs.mkdtempSync('/dev/shm/kite-test-secrets-');
  removeAtRunEnd(dir);
  return dir;
}
