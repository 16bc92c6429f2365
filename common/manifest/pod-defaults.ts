// Kubernetes defaulting shared by several kinds: a pod spec and a workload's pod template.
// Everything here fills in place; callers work on a copy.
import { type Obj, isObj } from './schema';

/** Returns o[key] as a mapping, creating it when absent. */
export function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  const created: Obj = {};
  o[key] = created;
  return created;
}

export function setDefault(o: Obj, key: string, value: unknown): void {
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
export function defaultPodSpec(spec: unknown, restartPolicy: 'Always' | undefined): void {
  if (!isObj(spec)) return;
  if (restartPolicy) setDefault(spec, 'restartPolicy', restartPolicy);
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  if (Array.isArray(spec.containers)) for (const c of spec.containers) defaultContainer(c);
  if (Array.isArray(spec.initContainers)) for (const c of spec.initContainers) defaultContainer(c);
}

export function defaultTemplate(spec: Obj, restartPolicy: 'Always' | undefined): void {
  if (isObj(spec.template)) defaultPodSpec(spec.template.spec, restartPolicy);
}

/** The object's spec as a mapping, or undefined when it has none (validation reports that). */
export function specOf(obj: object): Obj | undefined {
  const spec = (obj as Obj).spec;
  return isObj(spec) ? spec : undefined;
}
