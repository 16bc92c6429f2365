// `kite describe` for services, configmaps, secrets, namespaces, and a fallback for other kinds.
import type { ConfigMap, Endpoints, KObject, Namespace, Pod, Secret, Service, ServicePort } from '../../common/api/types';
import { hasReadyCondition } from '../../common/api/pod';
import { formatTimestamp } from '../../common/print/age';
import { DescribeWriter, LEVEL_0 } from './describe-writer';
import { type DescribeTime, writeAnnotations, writeLabels } from './describe-sections';
import { formatEndpointList } from '../../common/kinds/endpoints';
import { namespacePhase } from '../../common/kinds/namespace';
import { secretKeys } from '../../common/kinds/secret';
import { formatLabels } from '../../common/print/labels';

/** "10.0.0.5:8080,10.0.0.6:8080 + 2 more..." from the ready pods behind a service port, or "<none>". */
export function serviceEndpoints(port: ServicePort, pods: readonly Pod[]): string {
  const addrs: string[] = [];
  for (const pod of pods) {
    if (!hasReadyCondition(pod) || !pod.status?.podIP || pod.metadata.deletionTimestamp) continue;
    const target = resolveTargetPort(port, pod);
    if (target !== undefined) addrs.push(`${pod.status.podIP}:${target}`);
  }
  return formatEndpointList(addrs);
}

/**
 * kubectl's Endpoints line for one service port, from the Endpoints object: the ready addresses
 * with the port of the same name, "ip:port,... + N more...", or "<none>".
 */
export function endpointsForPort(port: ServicePort, ep: Endpoints): string {
  const addrs: string[] = [];
  for (const ss of ep.subsets ?? []) {
    const match = (ss.ports ?? []).filter((p) => (p.name ?? '') === (port.name ?? ''));
    for (const p of match) for (const a of ss.addresses ?? []) addrs.push(`${a.ip}:${p.port}`);
    if (!ss.ports?.length) for (const a of ss.addresses ?? []) addrs.push(a.ip);
  }
  return formatEndpointList(addrs);
}

function resolveTargetPort(port: ServicePort, pod: Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec.containers) {
    const named = c.ports?.find((p) => p.name === target);
    if (named) return named.containerPort;
  }
  return undefined;
}

/**
 * Endpoints lines come from the service's Endpoints object when given (what the cluster routes
 * to), else from `pods` (the pods the selector matches); with neither they are left out.
 */
export function describeService(w: DescribeWriter, svc: Service, pods: readonly Pod[] | undefined, endpoints?: Endpoints): void {
  w.write(LEVEL_0, `Name:\t${svc.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${svc.metadata.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', svc.metadata.labels);
  writeAnnotations(w, 'Annotations', svc.metadata.annotations);
  w.write(LEVEL_0, `Selector:\t${formatLabels(svc.spec.selector)}\n`);
  w.write(LEVEL_0, `Type:\t${svc.spec.type ?? 'ClusterIP'}\n`);
  w.write(LEVEL_0, `IP:\t${svc.spec.clusterIP || '<none>'}\n`);
  const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean);
  if (ingress.length) w.write(LEVEL_0, `LoadBalancer Ingress:\t${ingress.join(', ')}\n`);
  for (const p of svc.spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.write(LEVEL_0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(LEVEL_0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    if (endpoints) w.write(LEVEL_0, `Endpoints:\t${endpointsForPort(p, endpoints)}\n`);
    else if (pods) w.write(LEVEL_0, `Endpoints:\t${serviceEndpoints(p, pods)}\n`);
  }
  if (endpoints && !(svc.spec.ports ?? []).length) w.write(LEVEL_0, 'Endpoints:\t<none>\n');
  w.write(LEVEL_0, `Session Affinity:\t${svc.spec.sessionAffinity ?? 'None'}\n`);
}

export function describeConfigMap(w: DescribeWriter, cm: ConfigMap): void {
  w.write(LEVEL_0, `Name:\t${cm.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${cm.metadata.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', cm.metadata.labels);
  writeAnnotations(w, 'Annotations', cm.metadata.annotations);
  w.write(LEVEL_0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(LEVEL_0, `${k}:\n----\n`);
    w.write(LEVEL_0, `${cm.data?.[k] ?? ''}\n\n`);
  }
  w.write(LEVEL_0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) {
    w.write(LEVEL_0, `${k}: ${Buffer.from(cm.binaryData?.[k] ?? '', 'base64').length} bytes\n`);
  }
  w.write(LEVEL_0, '\n');
}

/** Secret values are never printed, only their sizes. */
export function describeSecret(w: DescribeWriter, secret: Secret): void {
  w.write(LEVEL_0, `Name:\t${secret.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${secret.metadata.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', secret.metadata.labels);
  writeAnnotations(w, 'Annotations', secret.metadata.annotations);
  w.write(LEVEL_0, `\nType:\t${secret.type || 'Opaque'}\n`);
  w.write(LEVEL_0, '\nData\n====\n');
  for (const k of secretKeys(secret)) {
    const encoded = secret.data?.[k];
    const bytes = encoded !== undefined ? Buffer.from(encoded, 'base64').length : Buffer.byteLength(secret.stringData?.[k] ?? '');
    w.write(LEVEL_0, `${k}:\t${bytes} bytes\n`);
  }
}

export function describeNamespace(w: DescribeWriter, ns: Namespace): void {
  w.write(LEVEL_0, `Name:\t${ns.metadata.name}\n`);
  writeLabels(w, 'Labels', ns.metadata.labels);
  writeAnnotations(w, 'Annotations', ns.metadata.annotations);
  w.write(LEVEL_0, `Status:\t${namespacePhase(ns)}\n`);
}

/** Kinds without a dedicated layout: identity and metadata. */
export function describeGeneric(w: DescribeWriter, obj: KObject, t: DescribeTime): void {
  w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
  if (obj.metadata.namespace) w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
  writeLabels(w, 'Labels', obj.metadata.labels);
  writeAnnotations(w, 'Annotations', obj.metadata.annotations);
  w.write(LEVEL_0, `API Version:\t${obj.apiVersion}\n`);
  w.write(LEVEL_0, `Kind:\t${obj.kind}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${formatTimestamp(obj.metadata.creationTimestamp, t.utcOffsetMinutes)}\n`);
}
