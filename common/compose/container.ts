// A Compose service -> its one container: image, command/entrypoint, environment, working_dir,
// user, capabilities, privileged, read_only, ports, resources, health probes.
import type { Container, EnvVar, ResourceList, SecurityContext } from '../api/types';
import { invalid } from '../errors';
import { readEnvFile } from './environment';
import { healthProbes } from './healthcheck';
import { keyValueMapping } from './merge';
import { parsePortSpec } from './ports';
import { type ServiceContext, type Obj, isObj, stringList, warn, where } from './service-context';
import { cpuQuantity, memoryQuantity } from './units';

/** A boolean key, which interpolation may have made the string "true". */
const isTrue = (v: unknown) => v === true || v === 'true';

const PULL_POLICIES: Record<string, Container['imagePullPolicy']> = { always: 'Always', never: 'Never', missing: 'IfNotPresent', if_not_present: 'IfNotPresent' };

function envFiles(v: unknown): { path: string; required: boolean }[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((e) => (isObj(e) ? { path: String(e.path), required: e.required !== false && e.required !== 'false' } : { path: String(e), required: true }));
}

/** env_file, then environment over it; `FOO` without a value takes the project environment's (or is dropped). */
function environment(ctx: ServiceContext): EnvVar[] {
  const vars = new Map<string, string>();
  for (const f of envFiles(ctx.def.env_file)) {
    try {
      for (const [k, v] of Object.entries(readEnvFile(ctx.project.dir, f.path, where(ctx, 'env_file')))) vars.set(k, v);
    } catch (e) {
      if (f.required) throw e;
    }
  }
  for (const [k, v] of Object.entries(keyValueMapping(ctx.def.environment))) {
    if (v === null || v === undefined) {
      const fromShell = ctx.project.env[k];
      if (fromShell === undefined) vars.delete(k);
      else vars.set(k, fromShell);
    } else vars.set(k, String(v));
  }
  return [...vars].map(([name, value]) => ({ name, value }));
}

function image(ctx: ServiceContext): string {
  const img = ctx.def.image;
  if (ctx.def.build !== undefined) {
    if (typeof img !== 'string' || !img) {
      throw invalid(
        `${where(ctx, 'build')}: Kite does not build images; build it with \`docker build -t IMAGE .\`, send it to the nodes with \`kite image push IMAGE\`, and set image: IMAGE on the service`,
      );
    }
    warn(ctx, 'build', `is ignored: the image "${img}" is used as it is (build it with docker build, then kite image push ${img})`);
  }
  if (typeof img !== 'string' || !img) throw invalid(`${where(ctx, 'image')}: is required (a service needs an image or a build)`);
  return img;
}

/** "1000", "1000:1000" -> numeric ids; a user name cannot be resolved without the image. */
function userContext(ctx: ServiceContext): Pick<SecurityContext, 'runAsUser' | 'runAsGroup'> {
  if (ctx.def.user === undefined) return {};
  const m = /^(\d+)(?::(\d+))?$/.exec(String(ctx.def.user));
  if (!m) {
    warn(ctx, 'user', `"${String(ctx.def.user)}" is a name, not a uid[:gid]; Kite needs numeric ids, so the image's user is kept`);
    return {};
  }
  return { runAsUser: Number(m[1]), ...(m[2] ? { runAsGroup: Number(m[2]) } : {}) };
}

function securityContext(ctx: ServiceContext): SecurityContext | undefined {
  const sc: SecurityContext = { ...userContext(ctx) };
  // Compose accepts CAP_NET_ADMIN and NET_ADMIN; Kubernetes names capabilities without the prefix.
  const add = stringList(ctx.def.cap_add).map((c) => c.replace(/^CAP_/i, ''));
  const drop = stringList(ctx.def.cap_drop).map((c) => c.replace(/^CAP_/i, ''));
  if (add.length || drop.length) sc.capabilities = { ...(add.length ? { add } : {}), ...(drop.length ? { drop } : {}) };
  if (isTrue(ctx.def.privileged)) sc.privileged = true;
  if (isTrue(ctx.def.read_only)) sc.readOnlyRootFilesystem = true;
  return Object.keys(sc).length ? sc : undefined;
}

function resources(ctx: ServiceContext): Container['resources'] {
  const deploy = isObj(ctx.def.deploy) ? ctx.def.deploy : {};
  const r = isObj(deploy.resources) ? deploy.resources : {};
  const list = (o: unknown, key: string): ResourceList | undefined => {
    if (!isObj(o)) return undefined;
    const out: ResourceList = {};
    if (o.cpus !== undefined) out.cpu = cpuQuantity(o.cpus as string, where(ctx, `deploy.resources.${key}.cpus`));
    if (o.memory !== undefined) out.memory = memoryQuantity(o.memory as string, where(ctx, `deploy.resources.${key}.memory`));
    for (const k of Object.keys(o)) if (k !== 'cpus' && k !== 'memory') warn(ctx, `deploy.resources.${key}.${k}`, 'is not supported by Kite and is ignored');
    return Object.keys(out).length ? out : undefined;
  };
  const limits: ResourceList = { ...list(r.limits, 'limits') };
  const requests: ResourceList = { ...list(r.reservations, 'reservations') };
  // The service-level forms of Compose file format 2.
  if (ctx.def.cpus !== undefined) limits.cpu = cpuQuantity(ctx.def.cpus as string, where(ctx, 'cpus'));
  if (ctx.def.mem_limit !== undefined) limits.memory = memoryQuantity(ctx.def.mem_limit as string, where(ctx, 'mem_limit'));
  if (ctx.def.mem_reservation !== undefined) requests.memory = memoryQuantity(ctx.def.mem_reservation as string, where(ctx, 'mem_reservation'));
  const out: Container['resources'] = {};
  if (Object.keys(limits).length) out.limits = limits;
  if (Object.keys(requests).length) out.requests = requests;
  return Object.keys(out).length ? out : undefined;
}

/** The container ports: every target of `ports` and every `expose`d port. */
export function containerPorts(ctx: ServiceContext): Container['ports'] {
  const seen = new Set<string>();
  const out: NonNullable<Container['ports']> = [];
  (Array.isArray(ctx.def.ports) ? ctx.def.ports : []).forEach((p: unknown, i) => {
    let mappings;
    try {
      mappings = parsePortSpec(p as string | number | Obj);
    } catch (e) {
      throw invalid(`${where(ctx, `ports[${i}]`)}: ${(e as Error).message}`);
    }
    for (const m of mappings) {
      const key = `${m.target}/${m.protocol}`;
      if (!seen.has(key)) out.push({ containerPort: m.target, protocol: m.protocol });
      seen.add(key);
    }
  });
  return out.length ? out : undefined;
}

export function serviceContainer(ctx: ServiceContext): Container {
  const c: Container = { name: ctx.objectName, image: image(ctx) };
  const pull = ctx.def.pull_policy;
  if (typeof pull === 'string') {
    if (PULL_POLICIES[pull]) c.imagePullPolicy = PULL_POLICIES[pull];
    else warn(ctx, 'pull_policy', `"${pull}" is not supported by Kite; the default pull policy applies`);
  }
  // Compose's entrypoint is the image's ENTRYPOINT (Kubernetes' command); its command is CMD (args).
  if (ctx.def.entrypoint !== undefined && ctx.def.entrypoint !== null) c.command = stringList(ctx.def.entrypoint);
  if (ctx.def.command !== undefined && ctx.def.command !== null) c.args = stringList(ctx.def.command);
  if (typeof ctx.def.working_dir === 'string') c.workingDir = ctx.def.working_dir;
  const env = environment(ctx);
  if (env.length) c.env = env;
  const ports = containerPorts(ctx);
  if (ports) c.ports = ports;
  const res = resources(ctx);
  if (res) c.resources = res;
  const sc = securityContext(ctx);
  if (sc) c.securityContext = sc;
  Object.assign(c, healthProbes(ctx));
  if (isTrue(ctx.def.tty)) c.tty = true;
  if (isTrue(ctx.def.stdin_open)) c.stdin = true;
  return c;
}
