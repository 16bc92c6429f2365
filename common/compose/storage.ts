// Storage: a service's volumes (bind -> hostPath, named -> PersistentVolumeClaim, anonymous and
// tmpfs -> emptyDir), configs and secrets (-> ConfigMap / Secret mounted where Compose mounts them),
// and the project-level objects they need.
import * as path from 'node:path';
import type { ConfigMap, PersistentVolumeClaim, Secret, Volume, VolumeMount } from '../api/types';
import { invalid } from '../errors';
import { readProjectFile } from './environment';
import { dnsLabel } from './names';
import { type Obj, type ServiceContext, isObj, stringList, warn, where } from './service-context';
import { memoryQuantity } from './units';
import { parseVolumeSpec } from './volumes';

/** The size a claim for a named volume asks for: Compose volumes have none. */
export const DEFAULT_VOLUME_SIZE = '1Gi';

export interface StorageOptions {
  /** false: the cluster has no default StorageClass, so named volumes become emptyDir (with a warning). */
  defaultStorageClass?: boolean;
}

export interface PodStorage {
  volumes: Volume[];
  mounts: VolumeMount[];
}

const topLevel = (ctx: ServiceContext, key: 'volumes' | 'configs' | 'secrets'): Obj => {
  const v = ctx.project.model[key];
  return isObj(v) ? v : {};
};

/** The object name of a top-level volume/config/secret: its `name:` when external, else its key. */
function resourceName(key: string, def: unknown, what: string): string {
  const d = isObj(def) ? def : {};
  return dnsLabel(d.external === true && typeof d.name === 'string' ? d.name : key, what);
}

function addVolume(out: PodStorage, volume: Volume): void {
  if (!out.volumes.some((v) => v.name === volume.name)) out.volumes.push(volume);
}

function serviceVolumes(ctx: ServiceContext, opts: StorageOptions, out: PodStorage): void {
  const list = Array.isArray(ctx.def.volumes) ? ctx.def.volumes : [];
  list.forEach((entry: unknown, i) => {
    const key = `volumes[${i}]`;
    let use;
    try {
      use = parseVolumeSpec(entry);
    } catch (e) {
      throw invalid(`${where(ctx, key)}: ${(e as Error).message}`);
    }
    const mount = (name: string): void => {
      out.mounts.push({ name, mountPath: use.target, ...(use.readOnly ? { readOnly: true } : {}) });
    };
    if (use.type === 'bind') {
      const hostPath = path.resolve(ctx.project.dir, use.source!.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
      warn(ctx, key, `bind mount of ${hostPath}: a hostPath on whichever node runs the pod (each node has its own ${hostPath})`);
      addVolume(out, { name: `bind-${i}`, hostPath: { path: hostPath } });
      mount(`bind-${i}`);
    } else if (use.type === 'tmpfs') {
      addVolume(out, { name: `tmpfs-${i}`, emptyDir: { medium: 'Memory', ...(use.tmpfsSize !== undefined ? { sizeLimit: memoryQuantity(use.tmpfsSize, where(ctx, key)) } : {}) } });
      mount(`tmpfs-${i}`);
    } else if (use.type === 'volume' && use.source === undefined) {
      addVolume(out, { name: `anonymous-${i}`, emptyDir: {} });
      mount(`anonymous-${i}`);
    } else if (use.type === 'volume') {
      const volumes = topLevel(ctx, 'volumes');
      if (!(use.source! in volumes)) throw invalid(`${where(ctx, key)}: volume "${use.source}" is not declared in the top-level volumes`);
      const claim = resourceName(use.source!, volumes[use.source!], 'volume');
      if (opts.defaultStorageClass === false && !(isObj(volumes[use.source!]) && (volumes[use.source!] as Obj).external === true)) {
        warn(ctx, key, `volume "${use.source}" becomes an emptyDir (deleted with the pod): the cluster has no default StorageClass`);
        addVolume(out, { name: `volume-${claim}`, emptyDir: {} });
      } else {
        addVolume(out, { name: `volume-${claim}`, persistentVolumeClaim: { claimName: claim } });
      }
      mount(`volume-${claim}`);
    } else {
      warn(ctx, key, `a volume of type "${use.otherType}" is not supported by Kite and is ignored`);
    }
  });
  stringList(ctx.def.tmpfs).forEach((spec, i) => {
    const [target] = spec.split(':');
    addVolume(out, { name: `tmpfs-s${i}`, emptyDir: { medium: 'Memory' } });
    out.mounts.push({ name: `tmpfs-s${i}`, mountPath: target! });
  });
}

/** configs at /<name> (or target), secrets at /run/secrets/<name> (or target), each file alone (subPath). */
function fileMounts(ctx: ServiceContext, kind: 'configs' | 'secrets', out: PodStorage): void {
  const list = Array.isArray(ctx.def[kind]) ? (ctx.def[kind] as unknown[]) : [];
  const declared = topLevel(ctx, kind);
  list.forEach((entry, i) => {
    const e: Obj = isObj(entry) ? entry : { source: String(entry) };
    const source = String(e.source);
    if (!(source in declared)) throw invalid(`${where(ctx, `${kind}[${i}]`)}: ${kind === 'configs' ? 'config' : 'secret'} "${source}" is not declared in the top-level ${kind}`);
    const base = kind === 'configs' ? '/' : '/run/secrets/';
    const target = typeof e.target === 'string' ? (e.target.startsWith('/') ? e.target : base + e.target) : base + source;
    if (e.uid !== undefined || e.gid !== undefined) warn(ctx, `${kind}[${i}]`, 'uid and gid are not supported by Kite; the file belongs to root');
    const objectName = resourceName(source, declared[source], kind === 'configs' ? 'config' : 'secret');
    const mode = e.mode === undefined ? undefined : typeof e.mode === 'string' ? parseInt(e.mode, 8) : Number(e.mode);
    const items = [{ key: dataKey(source, declared[source]), path: 'file', ...(mode !== undefined ? { mode } : {}) }];
    const volumeName = `${kind === 'configs' ? 'config' : 'secret'}-${i}`;
    addVolume(out, kind === 'configs' ? { name: volumeName, configMap: { name: objectName, items } } : { name: volumeName, secret: { secretName: objectName, items } });
    out.mounts.push({ name: volumeName, mountPath: target, subPath: 'file', readOnly: true });
  });
}

/** The key the content is stored under in the ConfigMap/Secret: the Compose name (an external one: its name). */
function dataKey(key: string, def: unknown): string {
  const d = isObj(def) ? def : {};
  return d.external === true ? (typeof d.key === 'string' ? d.key : key) : key.replace(/[^-._a-zA-Z0-9]/g, '_');
}

export function podStorage(ctx: ServiceContext, opts: StorageOptions): PodStorage {
  const out: PodStorage = { volumes: [], mounts: [] };
  serviceVolumes(ctx, opts, out);
  fileMounts(ctx, 'configs', out);
  fileMounts(ctx, 'secrets', out);
  return out;
}

// ---- project-level objects ------------------------------------------------------------------

export interface ProjectObjectsContext {
  project: ServiceContext['project'];
  namespace: string;
  labels: Record<string, string>;
  warnings: string[];
  opts: StorageOptions;
}

function fileContent(p: ProjectObjectsContext, kind: 'configs' | 'secrets', name: string, def: Obj): string | undefined {
  const at = `${p.project.file}: ${kind}.${name}`;
  if (typeof def.file === 'string') return readProjectFile(p.project.dir, def.file, at);
  if (typeof def.content === 'string') return def.content;
  if (typeof def.environment === 'string') {
    const v = p.project.env[def.environment];
    if (v === undefined) throw invalid(`${at}: environment variable ${def.environment} is not set`);
    return v;
  }
  throw invalid(`${at}: needs file, content, environment or external: true`);
}

/** PersistentVolumeClaims, ConfigMaps and Secrets for what the converted services use. */
export function projectStorageObjects(p: ProjectObjectsContext, used: { volumes: Set<string>; configs: Set<string>; secrets: Set<string> }): (PersistentVolumeClaim | ConfigMap | Secret)[] {
  const out: (PersistentVolumeClaim | ConfigMap | Secret)[] = [];
  const meta = (name: string) => ({ name, namespace: p.namespace, labels: { ...p.labels } });
  const section = (k: string): Obj => (isObj(p.project.model[k]) ? (p.project.model[k] as Obj) : {});
  for (const [name, raw] of Object.entries(section('volumes'))) {
    const def = isObj(raw) ? raw : {};
    if (!used.volumes.has(name) || def.external === true || p.opts.defaultStorageClass === false) continue;
    if (def.driver !== undefined || def.driver_opts !== undefined) p.warnings.push(`${p.project.file}: volumes.${name}: driver and driver_opts are ignored; the claim uses the default StorageClass`);
    out.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(dnsLabel(name, 'volume')),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: DEFAULT_VOLUME_SIZE } } },
    });
  }
  for (const [name, raw] of Object.entries(section('configs'))) {
    const def = isObj(raw) ? raw : {};
    if (!used.configs.has(name) || def.external === true) continue;
    const content = fileContent(p, 'configs', name, def);
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(dnsLabel(name, 'config')), data: { [dataKey(name, def)]: content ?? '' } });
  }
  for (const [name, raw] of Object.entries(section('secrets'))) {
    const def = isObj(raw) ? raw : {};
    if (!used.secrets.has(name) || def.external === true) continue;
    const content = fileContent(p, 'secrets', name, def);
    out.push({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: meta(dnsLabel(name, 'secret')), data: { [dataKey(name, def)]: Buffer.from(content ?? '').toString('base64') } });
  }
  return out;
}
