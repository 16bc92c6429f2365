// Kubernetes defaulting for Kite's kinds. Pure: returns a new object and never mutates its input;
// applying it twice gives the same result as applying it once.
import { DEFAULT_NAMESPACE, kindInfo } from '../api/kinds';
import type { KObject } from '../api/types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Returns o[key] as a mapping, creating it when absent. */
function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  const created: Obj = {};
  o[key] = created;
  return created;
}

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** `:latest` and untagged images are re-pulled; anything pinned (tag or digest) is pulled only if missing. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  setDefault(p, 'initialDelaySeconds', 0);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (isObj(p.httpGet)) {
    setDefault(p.httpGet, 'path', '/');
    setDefault(p.httpGet, 'scheme', 'HTTP');
  }
}

function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  if (typeof c.image === 'string') setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) setDefault(p, 'protocol', 'TCP');
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** restartPolicy is defaulted to Always except for Job pods, where the user must choose OnFailure or Never. */
function defaultPodSpec(spec: unknown, restartPolicy: 'Always' | undefined): void {
  if (!isObj(spec)) return;
  if (restartPolicy) setDefault(spec, 'restartPolicy', restartPolicy);
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  if (Array.isArray(spec.containers)) for (const c of spec.containers) defaultContainer(c);
}

function defaultTemplate(spec: Obj, restartPolicy: 'Always' | undefined): void {
  if (isObj(spec.template)) defaultPodSpec(spec.template.spec, restartPolicy);
}

function defaultDeployment(spec: Obj): void {
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxSurge', '25%');
    setDefault(ru, 'maxUnavailable', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  setDefault(spec, 'minReadySeconds', 0);
  defaultTemplate(spec, 'Always');
}

function defaultDaemonSet(spec: Obj): void {
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'minReadySeconds', 0);
  defaultTemplate(spec, 'Always');
}

/**
 * Kubernetes selects a Job's pods by a generated controller-uid label. Kite has no uid at manifest time, so it
 * labels the template with `job-name` (as Kubernetes also does) and selects on the template's labels.
 */
function defaultJob(spec: Obj, name: string): void {
  setDefault(spec, 'completions', 1);
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  if (spec.selector == null && isObj(spec.template)) {
    const labels = child(child(spec.template, 'metadata'), 'labels');
    setDefault(labels, 'job-name', name);
    spec.selector = { matchLabels: { ...labels } };
  }
  defaultTemplate(spec, undefined);
}

function defaultService(spec: Obj): void {
  setDefault(spec, 'type', 'ClusterIP');
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isObj(p)) continue;
      setDefault(p, 'protocol', 'TCP');
      setDefault(p, 'targetPort', p.port);
    }
  }
}

/** stringData is write-only convenience: its values are base64-encoded into data, overriding the same keys. */
function defaultSecret(o: Obj): void {
  setDefault(o, 'type', 'Opaque');
  if (!isObj(o.stringData)) return;
  const data = child(o, 'data');
  for (const [k, v] of Object.entries(o.stringData)) {
    if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  delete o.stringData;
}

/** Returns a defaulted deep copy of obj; obj itself is left untouched. */
export function applyDefaults<T extends KObject>(obj: T): T {
  const out = structuredClone(obj) as T;
  const o = out as unknown as Obj;
  const info = kindInfo(out.kind);
  const md = child(o, 'metadata');
  if (info?.namespaced) {
    if (md.namespace == null || md.namespace === '') md.namespace = DEFAULT_NAMESPACE;
  } else if (info) {
    delete md.namespace;
  }
  const spec = isObj(o.spec) ? o.spec : undefined;
  switch (out.kind) {
    case 'Pod':
      defaultPodSpec(spec, 'Always');
      break;
    case 'Deployment':
      if (spec) defaultDeployment(spec);
      break;
    case 'ReplicaSet':
      if (spec) {
        setDefault(spec, 'replicas', 1);
        setDefault(spec, 'minReadySeconds', 0);
        defaultTemplate(spec, 'Always');
      }
      break;
    case 'DaemonSet':
      if (spec) defaultDaemonSet(spec);
      break;
    case 'Job':
      if (spec) defaultJob(spec, String(md.name ?? ''));
      break;
    case 'Service':
      if (spec) defaultService(spec);
      break;
    case 'Secret':
      defaultSecret(o);
      break;
  }
  return out;
}
