// A loaded Compose project -> the Kubernetes objects Kite applies: its Namespace, then per service a
// workload and Services, and the claims, ConfigMaps and Secrets they use. Warnings name every key
// Kite cannot honour.
import { COMPOSE_SERVICE_LABEL } from '../api/depends-on';
import type { KObject, Namespace } from '../api/types';
import { invalid } from '../errors';
import { checkNoCycles, type Dependency, dependenciesOf } from './depends-on';
import { serviceObjects as k8sServicesFor } from './k8s-services';
import { dnsLabel } from './names';
import type { ComposeProject } from './project';
import { type Obj, type ServiceContext, isObj, warn } from './service-context';
import { type StorageOptions, projectStorageObjects } from './storage';
import { unsupportedKeyWarnings } from './unsupported';
import { workload } from './workload';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = COMPOSE_SERVICE_LABEL;

export interface ConvertOptions extends StorageOptions {
  /** --profile: services with a profile are converted only when one of theirs is active. */
  profiles?: string[];
}

export interface Conversion {
  namespace: string;
  objects: KObject[];
  warnings: string[];
}

/** The namespace of a project: its normalised name as a DNS label (`_` -> `-`). */
export function namespaceOf(projectName: string): string {
  const ns = projectName.replace(/_/g, '-').replace(/-+$/, '');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) || ns.length > 63) throw invalid(`project name "${projectName}" cannot be a namespace name (a DNS label of at most 63 characters)`);
  return ns;
}

function activeServices(services: Obj, profiles: ReadonlySet<string>): string[] {
  return Object.keys(services).filter((name) => {
    const def = services[name];
    const own = isObj(def) && Array.isArray(def.profiles) ? def.profiles.map(String) : [];
    return own.length === 0 || own.some((p) => profiles.has(p) || p === '*') || profiles.has('*');
  });
}

function used(defs: Obj[], key: 'volumes' | 'configs' | 'secrets'): Set<string> {
  const out = new Set<string>();
  for (const def of defs) {
    for (const e of Array.isArray(def[key]) ? (def[key] as unknown[]) : []) {
      if (key === 'volumes') {
        const source = typeof e === 'string' ? (e.split(':').length > 1 ? e.split(':')[0] : undefined) : isObj(e) && e.type !== 'bind' ? e.source : undefined;
        if (typeof source === 'string') out.add(source);
      } else out.add(typeof e === 'string' ? e : String((e as Obj).source));
    }
  }
  return out;
}

export function convertProject(project: ComposeProject, opts: ConvertOptions = {}): Conversion {
  const warnings = [...project.warnings];
  const namespace = namespaceOf(project.name);
  const services = isObj(project.model.services) ? project.model.services : {};
  const all = new Set(Object.keys(services));
  const active = activeServices(services, new Set(opts.profiles ?? []));
  const activeSet = new Set(active);
  warnings.push(...unsupportedKeyWarnings(project, active));

  const graph = new Map<string, Dependency[]>();
  for (const name of active) graph.set(name, dependenciesOf(name, (services[name] as Obj).depends_on, activeSet, all, project.file, warnings));
  checkNoCycles(graph, project.file);
  const awaited = new Set([...graph.values()].flat().filter((d) => d.condition === 'service_completed_successfully').map((d) => d.service));

  const projectLabels = { 'app.kubernetes.io/part-of': project.name, [PROJECT_LABEL]: project.name };
  const objects: KObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...projectLabels } } } satisfies Namespace];
  const activeDefs = active.map((n) => services[n] as Obj);
  // Claims, ConfigMaps and Secrets before the workloads that mount them.
  objects.push(
    ...projectStorageObjects(
      { project, namespace, labels: projectLabels, warnings, opts },
      { volumes: used(activeDefs, 'volumes'), configs: used(activeDefs, 'configs'), secrets: used(activeDefs, 'secrets') },
    ),
  );
  const objectNames = new Map<string, string>();
  for (const name of active) {
    const def = services[name] as Obj;
    const objectName = dnsLabel(name, `${project.file}: services.${name}: the service name`);
    const clash = objectNames.get(objectName);
    if (clash) throw invalid(`${project.file}: services.${name}: becomes the Kubernetes name "${objectName}", as services.${clash} does`);
    objectNames.set(objectName, name);
    const ctx: ServiceContext = { project, name, objectName, def, warnings };
    if (objectName !== name) warn(ctx, '', `its objects are named "${objectName}" (a DNS label), so other services reach it as ${objectName}`);
    const labels = { ...projectLabels, 'app.kubernetes.io/name': name.length <= 63 ? name : objectName, [SERVICE_LABEL]: name };
    const selector = { [PROJECT_LABEL]: project.name, [SERVICE_LABEL]: name };
    objects.push(workload({ ctx, namespace, labels, selector, dependencies: graph.get(name) ?? [], awaitedCompletion: awaited.has(name), storage: opts }));
    if (!awaited.has(name)) objects.push(...k8sServicesFor({ ctx, namespace, labels, selector }));
  }
  // No object shares a part with another (the converters reuse probes and port lists).
  return { namespace, objects: JSON.parse(JSON.stringify(objects)) as KObject[], warnings };
}
