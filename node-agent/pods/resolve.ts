// Turns a pod's references (ConfigMaps, Secrets, volumes, pull secrets) into concrete values
// from the data bundled with its assignment. Never reads the store.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ConfigMap, Container, KeyToPath, Pod, ProjectedVolumeSource, Secret } from '../../common/api/types';
import type { Mount, RegistryAuth } from '../executor/types';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';
import { DownwardError, downwardFileValue, fieldRefValue, resourceFieldRefValue, type DownwardFacts, type NodeFacts } from './downward';
import { applyPodFsGroup } from './fs-group';
import { ClaimVolumeError, claimVolumeDir, type ClaimVolumePath } from './local-volumes';
import { secretVolumeDir } from './secret-volumes';

/** A reference the pod needs is missing: the container waits with CreateContainerConfigError. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface PodAssignment {
  pod: Pod;
  configMaps: ConfigMap[];
  secrets: Secret[];
  /** Service variables (WEB_SERVICE_HOST...) of the pod's namespace as they are now; set by the agent. */
  serviceEnv?: () => Record<string, string>;
  /** The node's own facts for the downward API (status.hostIP, unset limits); set by the agent. */
  node?: () => NodeFacts;
  /** The directories of the pod's bound PersistentVolumeClaims, as the controller sent them. */
  claimVolumes?: ClaimVolumePath[];
  /** Where this node's local-path volumes live (the agent's --storage-dir); set by the agent. */
  storageDir?: string;
}

const byName = <T extends { metadata: { name: string } }>(list: T[], name: string) => list.find((o) => o.metadata.name === name);

/** Secret values decoded: `data` is base64, `stringData` plain (and wins, as in Kubernetes). */
export function secretValues(s: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = v;
  return out;
}

/** Values shorter than this are left alone in messages: they would garble every message and reveal little. */
const MIN_REDACTED_LENGTH = 4;
export const REDACTED = '[redacted]';

/**
 * `text` (an error message on its way to an Event or a pod status) with every value of the pod's
 * Secrets cut out: decoded, base64, and each line of a multi-line value. The engine's errors may
 * quote a container's environment, and env vars can come from Secrets.
 */
export function redactSecretValues(a: PodAssignment, text: string): string {
  const values = new Set<string>();
  const add = (v: string) => {
    values.add(v);
    for (const line of v.split(/\r?\n/)) values.add(line.trim());
  };
  for (const s of a.secrets) {
    for (const v of Object.values(s.data ?? {})) add(v);
    for (const v of Object.values(secretValues(s))) add(v);
  }
  let out = text;
  for (const v of [...values].sort((x, y) => y.length - x.length)) {
    if (v.length >= MIN_REDACTED_LENGTH && out.includes(v)) out = out.split(v).join(REDACTED);
  }
  return out;
}

/** A pod status report with its messages (pod and containers) passed through redactSecretValues. */
export function redactStatusReport(a: PodAssignment, r: PodStatusReport): PodStatusReport {
  if (a.secrets.length === 0) return r;
  return {
    ...r,
    message: r.message && redactSecretValues(a, r.message),
    containers: r.containers?.map((c) => (c.message ? { ...c, message: redactSecretValues(a, c.message) } : c)),
    init_containers: r.init_containers?.map((c) => (c.message ? { ...c, message: redactSecretValues(a, c.message) } : c)),
  };
}

function configMapValues(c: ConfigMap): Record<string, string> {
  const out: Record<string, string> = { ...(c.data ?? {}) };
  for (const [k, v] of Object.entries(c.binaryData ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** The downward API's view of the pod now: `podIP` is known only to the worker. */
const downwardFacts = (a: PodAssignment, podIP: string): DownwardFacts => ({ podIP, node: a.node?.() });

/** A downward API lookup, its failure a ConfigError (the container waits with CreateContainerConfigError). */
function downward(what: () => string): string {
  try {
    return what();
  } catch (e) {
    if (e instanceof DownwardError) throw new ConfigError(e.message);
    throw e;
  }
}

export function resolveEnv(a: PodAssignment, c: Container, podIP = ''): Record<string, string> {
  // Service variables first: the container's own env overrides them and may refer to them.
  // enableServiceLinks: false leaves them out (apps that read FOO_PORT as their own setting).
  const env: Record<string, string> = a.pod.spec.enableServiceLinks === false ? {} : { ...a.serviceEnv?.() };
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = byName(a.configMaps, from.configMapRef.name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(configMapValues(cm))) env[prefix + k] = v;
    }
    if (from.secretRef) {
      const s = byName(a.secrets, from.secretRef.name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(secretValues(s))) env[prefix + k] = v;
    }
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) {
      // $(VAR) refers to variables defined earlier, as in Kubernetes; $$ escapes.
      env[e.name] = e.value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name?: string) => (m === '$$' ? '$' : (env[name!] ?? m)));
      continue;
    }
    const cmRef = e.valueFrom?.configMapKeyRef;
    const sRef = e.valueFrom?.secretKeyRef;
    if (cmRef) {
      const cm = byName(a.configMaps, cmRef.name);
      const v = cm ? configMapValues(cm)[cmRef.key] : undefined;
      if (v === undefined) {
        if (cmRef.optional) continue;
        throw new ConfigError(cm ? `key "${cmRef.key}" not found in configmap "${cmRef.name}"` : `configmap "${cmRef.name}" not found`);
      }
      env[e.name] = v;
    } else if (sRef) {
      const s = byName(a.secrets, sRef.name);
      const v = s ? secretValues(s)[sRef.key] : undefined;
      if (v === undefined) {
        if (sRef.optional) continue;
        throw new ConfigError(s ? `key "${sRef.key}" not found in secret "${sRef.name}"` : `secret "${sRef.name}" not found`);
      }
      env[e.name] = v;
    } else if (e.valueFrom?.fieldRef) {
      const ref = e.valueFrom.fieldRef;
      env[e.name] = downward(() => fieldRefValue(a.pod, ref, downwardFacts(a, podIP)));
    } else if (e.valueFrom?.resourceFieldRef) {
      const ref = e.valueFrom.resourceFieldRef;
      env[e.name] = downward(() => resourceFieldRefValue(a.pod, c, ref, downwardFacts(a, podIP)));
    } else {
      env[e.name] = '';
    }
  }
  return env;
}

export const podDir = (dataDir: string, uid: string) => join(dataDir, 'pods', uid);

async function writeItems(dir: string, values: Record<string, string>, items: KeyToPath[] | undefined, defaultMode: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = items ?? Object.keys(values).map((key) => ({ key, path: key }) as KeyToPath);
  for (const item of entries) {
    const v = values[item.key];
    if (v === undefined) throw new ConfigError(`key "${item.key}" not found`);
    if (item.path.split('/').includes('..')) throw new ConfigError(`invalid path "${item.path}"`);
    const file = join(dir, item.path);
    await mkdir(dirname(file), { recursive: true });
    // Rewrite through chmod: an earlier write may have left the file read-only.
    await chmod(file, 0o600).catch(() => undefined);
    await writeFile(file, v);
    await chmod(file, item.mode ?? defaultMode);
  }
}

/**
 * Prepares the pod's volumes on disk and returns the bind mounts for one container. Secret
 * volumes go under `secretsDir` (the agent's tmpfs, see secret-volumes.ts); without one (hollow
 * nodes, tests) they stay in the pod's dir with its other volumes.
 */
export async function prepareMounts(a: PodAssignment, c: Container, dataDir: string, secretsDir?: string): Promise<Mount[]> {
  const uid = a.pod.metadata.uid ?? '';
  const mounts: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const vol = (a.pod.spec.volumes ?? []).find((v) => v.name === vm.name);
    if (!vol) throw new ConfigError(`volume "${vm.name}" is not defined in the pod`);
    const dir = join(podDir(dataDir, uid), 'volumes', vol.name);
    let hostPath: string;
    let readOnly = vm.readOnly ?? false;
    if (vol.emptyDir) {
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o777);
      hostPath = dir;
    } else if (vol.hostPath) {
      if (vol.hostPath.type === 'DirectoryOrCreate') await mkdir(vol.hostPath.path, { recursive: true });
      hostPath = vol.hostPath.path;
    } else if (vol.configMap) {
      const cm = byName(a.configMaps, vol.configMap.name);
      if (!cm && !vol.configMap.optional) throw new ConfigError(`configmap "${vol.configMap.name}" not found`);
      await writeItems(dir, cm ? configMapValues(cm) : {}, vol.configMap.items, vol.configMap.defaultMode ?? 0o644);
      hostPath = dir;
      readOnly = true;
    } else if (vol.secret) {
      const s = byName(a.secrets, vol.secret.secretName);
      if (!s && !vol.secret.optional) throw new ConfigError(`secret "${vol.secret.secretName}" not found`);
      const inMemory = secretsDir ? secretVolumeDir(secretsDir, uid, vol.name) : dir;
      if (!inMemory) throw new ConfigError(`pod uid "${uid}" cannot name a directory`);
      await writeItems(inMemory, s ? secretValues(s) : {}, vol.secret.items, vol.secret.defaultMode ?? 0o400);
      hostPath = inMemory;
      readOnly = true;
    } else if (vol.projected) {
      const { values, items, secret } = projectedFiles(a, vol.projected, downwardFacts(a, ''));
      // Holding Secret values puts the whole volume on the Secrets' tmpfs.
      const target = secret && secretsDir ? secretVolumeDir(secretsDir, uid, vol.name) : dir;
      if (!target) throw new ConfigError(`pod uid "${uid}" cannot name a directory`);
      await writeItems(target, values, items, vol.projected.defaultMode ?? 0o644);
      hostPath = target;
      readOnly = true;
    } else if (vol.downwardAPI) {
      const facts = downwardFacts(a, '');
      const values: Record<string, string> = {};
      const items = (vol.downwardAPI.items ?? []).map((item) => {
        values[item.path] = downward(() => downwardFileValue(a.pod, item, facts));
        return { key: item.path, path: item.path, ...(item.mode !== undefined ? { mode: item.mode } : {}) };
      });
      await writeItems(dir, values, items, vol.downwardAPI.defaultMode ?? 0o644);
      hostPath = dir;
      readOnly = true;
    } else if (vol.persistentVolumeClaim) {
      try {
        hostPath = await claimVolumeDir(a.pod, vol, a.claimVolumes ?? [], a.storageDir);
      } catch (e) {
        if (e instanceof ClaimVolumeError) throw new ConfigError(e.message);
        throw e;
      }
      readOnly ||= vol.persistentVolumeClaim.readOnly === true;
    } else {
      throw new ConfigError(`volume "${vol.name}" has no supported source`);
    }
    await applyPodFsGroup(a.pod, vol, hostPath);
    if (vm.subPath) {
      if (vm.subPath.split('/').includes('..')) throw new ConfigError(`invalid subPath "${vm.subPath}"`);
      hostPath = join(hostPath, vm.subPath);
    }
    mounts.push({ hostPath, containerPath: vm.mountPath, readOnly });
  }
  return mounts;
}

/**
 * A projected volume's files: its ConfigMap, Secret and downward API sources merged into one set
 * of (unique) paths. serviceAccountToken sources write nothing: Kite issues no tokens.
 */
function projectedFiles(a: PodAssignment, p: ProjectedVolumeSource, facts: DownwardFacts): { values: Record<string, string>; items: KeyToPath[]; secret: boolean } {
  const values: Record<string, string> = {};
  const items: KeyToPath[] = [];
  let secret = false;
  const add = (path: string, value: string, mode: number | undefined) => {
    if (path in values) throw new ConfigError(`projected volume: two sources write "${path}"`);
    values[path] = value;
    items.push({ key: path, path, ...(mode !== undefined ? { mode } : {}) });
  };
  const addAll = (source: Record<string, string>, wanted: KeyToPath[] | undefined, what: string) => {
    const list: KeyToPath[] = wanted ?? Object.keys(source).map((key) => ({ key, path: key }));
    for (const item of list) {
      const v = source[item.key];
      if (v === undefined) throw new ConfigError(`key "${item.key}" not found in ${what}`);
      add(item.path, v, item.mode);
    }
  };
  for (const src of p.sources ?? []) {
    if (src.configMap) {
      const cm = byName(a.configMaps, src.configMap.name);
      if (!cm && !src.configMap.optional) throw new ConfigError(`configmap "${src.configMap.name}" not found`);
      if (cm) addAll(configMapValues(cm), src.configMap.items, `configmap "${src.configMap.name}"`);
    } else if (src.secret) {
      const s = byName(a.secrets, src.secret.name);
      if (!s && !src.secret.optional) throw new ConfigError(`secret "${src.secret.name}" not found`);
      if (s) addAll(secretValues(s), src.secret.items, `secret "${src.secret.name}"`);
      secret = true;
    } else if (src.downwardAPI) {
      for (const item of src.downwardAPI.items ?? []) add(item.path, downward(() => downwardFileValue(a.pod, item, facts)), item.mode);
    }
  }
  return { values, items, secret };
}

/** The registry host of an image reference, as Docker reads it. */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first;
  return 'docker.io';
}

const DOCKER_HUB_KEYS = ['docker.io', 'index.docker.io', 'https://index.docker.io/v1/', 'registry-1.docker.io'];

/** Credentials for `image` from the pod's kubernetes.io/dockerconfigjson imagePullSecrets. */
export function pullAuthFor(a: PodAssignment, image: string): RegistryAuth | undefined {
  const registry = registryOf(image);
  const keys = registry === 'docker.io' ? DOCKER_HUB_KEYS : [registry];
  for (const ref of a.pod.spec.imagePullSecrets ?? []) {
    const s = byName(a.secrets, ref.name);
    if (!s || s.type !== 'kubernetes.io/dockerconfigjson') continue;
    const raw = secretValues(s)['.dockerconfigjson'];
    if (!raw) continue;
    let auths: Record<string, { username?: string; password?: string; auth?: string }> = {};
    try {
      auths = (JSON.parse(raw) as { auths?: typeof auths }).auths ?? {};
    } catch {
      continue;
    }
    for (const [server, entry] of Object.entries(auths)) {
      const host = server.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
      if (!keys.includes(server) && !keys.includes(host)) continue;
      let { username, password } = entry;
      if ((!username || !password) && entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        username = decoded.slice(0, i);
        password = decoded.slice(i + 1);
      }
      return { username, password, serveraddress: server };
    }
  }
  return undefined;
}
