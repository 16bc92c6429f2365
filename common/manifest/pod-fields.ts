// The pod spec schema (containers, volumes, probes, scheduling), shared by Pod and by every
// workload's pod template.
import { S, err, labelSelector, labelsSchema, nonNegative, port, positive, selectorRequirement, set, strings, templateMetadata } from './fields';
import { SAFE_SYSCTLS, canonicalSysctl, sysctlNamespace } from './sysctls';
import { configKeyError, dns1123LabelError, dns1123SubdomainError, envVarNameError, labelKeyError, labelValueError, portNameError } from './names';
import { parseCpu, parseMemory, parseQuantity } from './quantity';
import { type Ctx, type Obj, type Schema, isObj, join } from './schema';

export const keySelector = S.obj({ name: S.nonEmpty(dns1123SubdomainError), key: S.nonEmpty(configKeyError), optional: S.bool }, { required: ['name', 'key'] });

// The downward API's fields: what the kubelet answers for env (all) and for volume files (metadata only).
const KEYED_METADATA = /^metadata\.(labels|annotations)\['(.+)'\]$/;
const VOLUME_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations'];
const ENV_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];

function fieldPathError(allowed: string[]) {
  return (v: string): string | undefined => {
    const keyed = KEYED_METADATA.exec(v);
    if (keyed) return labelKeyError(keyed[2]!) ? `invalid key ${JSON.stringify(keyed[2])}: ${labelKeyError(keyed[2]!)}` : undefined;
    return allowed.includes(v) ? undefined : `not a supported fieldPath: must be one of ${allowed.join(', ')}, metadata.labels['KEY'], metadata.annotations['KEY']`;
  };
}

const objectFieldSelector = (allowed: string[]) => S.obj({ apiVersion: S.oneOf('v1'), fieldPath: S.nonEmpty(fieldPathError(allowed)) }, { required: ['fieldPath'] });

const RESOURCE_FIELDS = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'];
const resourceFieldSelector = S.obj(
  {
    containerName: S.str(),
    resource: S.oneOf(...RESOURCE_FIELDS),
    divisor: {
      t: 'quantity',
      parse: (q: string | number) => {
        const n = parseQuantity(q, 'divisor');
        if (!(n > 0)) throw new Error('divisor must be positive');
        return n;
      },
    },
  },
  { required: ['resource'] },
);

export const envVar = S.obj(
  {
    name: S.nonEmpty(envVarNameError),
    value: S.str(),
    valueFrom: S.obj(
      { configMapKeyRef: keySelector, secretKeyRef: keySelector, fieldRef: objectFieldSelector([...ENV_FIELD_PATHS]), resourceFieldRef: resourceFieldSelector },
      {
        unsupported: set('fileKeyRef'),
        hook: (o, path, ctx) => {
          const n = ['configMapKeyRef', 'secretKeyRef', 'fieldRef', 'resourceFieldRef', 'fileKeyRef'].filter((k) => o[k] != null).length;
          if (n !== 1) err(ctx, path, `must specify exactly one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef (got ${n})`);
        },
      },
    ),
  },
  {
    required: ['name'],
    hook: (o, path, ctx) => {
      if (o.value != null && o.valueFrom != null) err(ctx, path, 'value and valueFrom are mutually exclusive');
    },
  },
);

export const envFromRef = S.obj({ name: S.nonEmpty(dns1123SubdomainError), optional: S.bool }, { required: ['name'] });
export const envFrom = S.obj(
  { prefix: S.str(), configMapRef: envFromRef, secretRef: envFromRef },
  {
    hook: (o, path, ctx) => {
      const n = ['configMapRef', 'secretRef'].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one of configMapRef, secretRef (got ${n})`);
      if (typeof o.prefix === 'string' && o.prefix !== '' && envVarNameError(o.prefix)) err(ctx, join(path, 'prefix'), `invalid value ${JSON.stringify(o.prefix)}: ${envVarNameError(o.prefix)}`);
    },
  },
);

export const containerPort = S.obj(
  { name: S.str(portNameError), containerPort: port, hostPort: port, hostIP: S.str(), protocol: S.oneOf('TCP', 'UDP') },
  { required: ['containerPort'] },
);

// Extended and other resources (nvidia.com/gpu, ephemeral-storage, hugepages-2Mi) are real but not scheduled by Kite.
export const isOtherResource = (k: string) => k === 'ephemeral-storage' || k === 'storage' || k.startsWith('hugepages-') || k.includes('/');
export const resourceList = S.obj({ cpu: { t: 'quantity', parse: parseCpu }, memory: { t: 'quantity', parse: parseMemory } }, { unsupportedKey: isOtherResource });

export function tryParse(parse: (q: string | number) => number, v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parse(v);
  } catch {
    return undefined;
  }
}

export const resources = S.obj(
  { requests: resourceList, limits: resourceList },
  {
    unsupported: set('claims'),
    hook: (o, path, ctx) => {
      if (!isObj(o.requests) || !isObj(o.limits)) return;
      for (const [name, parse] of [['cpu', parseCpu], ['memory', parseMemory]] as const) {
        const req = tryParse(parse, o.requests[name]);
        const lim = tryParse(parse, o.limits[name]);
        if (req !== undefined && lim !== undefined && req > lim) {
          err(ctx, join(join(path, 'requests'), name), `must be less than or equal to the ${name} limit (${String(o.limits[name])})`);
        }
      }
    },
  },
);

export const volumeMount = S.obj(
  {
    name: S.nonEmpty(),
    mountPath: S.nonEmpty((v) => (v.startsWith('/') ? undefined : 'must be an absolute path')),
    readOnly: S.bool,
    subPath: S.str((v) => (v.startsWith('/') ? 'must be a relative path' : v.split('/').includes('..') ? 'must not contain ".."' : undefined)),
  },
  { required: ['name', 'mountPath'], unsupported: set('mountPropagation', 'subPathExpr', 'recursiveReadOnly') },
);

export const probePort: Schema = {
  t: 'intOrString',
  hook: (v, path, ctx) => {
    if (typeof v === 'number') {
      if (v < 1 || v > 65535) err(ctx, path, `must be between 1 and 65535, got ${v}`);
    } else if (/^\d+$/.test(v)) {
      // "8080" (quoted) is a string in YAML and Kubernetes treats it as a port name, which can never be valid.
      err(ctx, path, `${JSON.stringify(v)} is a string; write the port number without quotes`);
    } else {
      const m = portNameError(v);
      if (m) err(ctx, path, `invalid port name ${JSON.stringify(v)}: ${m}`);
    }
  },
};

const httpGetAction = S.obj(
  {
    path: S.str(),
    port: probePort,
    host: S.str(),
    scheme: S.oneOf('HTTP', 'HTTPS'),
    httpHeaders: S.list(S.obj({ name: S.nonEmpty(), value: S.str() }, { required: ['name', 'value'] })),
  },
  { required: ['port'] },
);
const tcpSocketAction = S.obj({ port: probePort, host: S.str() }, { required: ['port'] });
const execAction = S.obj({ command: S.list(S.str(), true) }, { required: ['command'] });

/** A postStart or preStop hook (node-agent/pods/lifecycle-hooks.ts). */
const lifecycleHandler = S.obj(
  { exec: execAction, httpGet: httpGetAction, tcpSocket: tcpSocketAction, sleep: S.obj({ seconds: nonNegative }, { required: ['seconds'] }) },
  {
    hook: (o, path, ctx) => {
      const n = ['exec', 'httpGet', 'tcpSocket', 'sleep'].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one handler: exec, httpGet, tcpSocket or sleep (got ${n})`);
    },
  },
);
export const lifecycle = S.obj({ postStart: lifecycleHandler, preStop: lifecycleHandler }, { unsupported: set('stopSignal') });

export const probe = S.obj(
  {
    httpGet: httpGetAction,
    tcpSocket: tcpSocketAction,
    exec: execAction,
    // The standard gRPC health service; the port is a number (Kubernetes takes no port name here).
    grpc: S.obj({ port, service: S.str() }, { required: ['port'] }),
    initialDelaySeconds: nonNegative,
    periodSeconds: positive,
    timeoutSeconds: positive,
    successThreshold: positive,
    failureThreshold: positive,
  },
  {
    unsupported: set('terminationGracePeriodSeconds'),
    hook: (o, path, ctx) => {
      const n = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one handler: httpGet, tcpSocket, exec or grpc (got ${n})`);
    },
  },
);

export const seccompProfile = S.obj(
  {
    type: S.oneOf('RuntimeDefault', 'Localhost', 'Unconfined'),
    // A file name under the agent's seccomp dir: never an absolute path or one leaving it.
    localhostProfile: S.nonEmpty((v) => (v.startsWith('/') || v.split('/').includes('..') ? 'must be a relative path without ".."' : undefined)),
  },
  {
    required: ['type'],
    hook: (o, path, ctx) => {
      if (o.type === 'Localhost' && o.localhostProfile == null) err(ctx, join(path, 'localhostProfile'), 'is required when type is Localhost');
      if (o.type !== 'Localhost' && o.localhostProfile != null) err(ctx, join(path, 'localhostProfile'), 'may only be set when type is Localhost');
    },
  },
);

export const appArmorProfile = S.obj(
  {
    type: S.oneOf('RuntimeDefault', 'Localhost', 'Unconfined'),
    // The name of a profile loaded on the node (apparmor_parser), not a file.
    localhostProfile: S.nonEmpty((v) => (/[\s,]/.test(v) ? 'must not contain whitespace or ","' : undefined)),
  },
  {
    required: ['type'],
    hook: (o, path, ctx) => {
      if (o.type === 'Localhost' && o.localhostProfile == null) err(ctx, join(path, 'localhostProfile'), 'is required when type is Localhost');
      if (o.type !== 'Localhost' && o.localhostProfile != null) err(ctx, join(path, 'localhostProfile'), 'may only be set when type is Localhost');
    },
  },
);

/** Settings a pod gives all its containers and each container may override. */
const commonSecurityFields = { runAsUser: nonNegative, runAsGroup: nonNegative, runAsNonRoot: S.bool, seccompProfile, appArmorProfile };

export const sysctl = S.obj(
  {
    name: S.nonEmpty((v) =>
      SAFE_SYSCTLS.has(canonicalSysctl(v)) ? undefined : `not a safe sysctl; Kite allows only the namespaced safe set: ${[...SAFE_SYSCTLS].join(', ')}`,
    ),
    value: S.str(),
  },
  { required: ['name', 'value'] },
);

export const podSecurityContext = S.obj(
  {
    ...commonSecurityFields,
    supplementalGroups: S.list(nonNegative),
    // Merge (the image's groups of the user are added too) is what the engine does.
    supplementalGroupsPolicy: S.oneOf('Merge', 'Strict'),
    fsGroup: nonNegative,
    fsGroupChangePolicy: S.oneOf('OnRootMismatch', 'Always'),
    sysctls: S.list(sysctl, false, (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'sysctl')),
  },
  {
    // Accepted with a warning saying why they have no effect (common/manifest/no-effect.ts).
    unsupported: set('seLinuxOptions', 'seLinuxChangePolicy', 'windowsOptions'),
    hook: (o, path, ctx) => {
      if (o.supplementalGroupsPolicy === 'Strict') err(ctx, join(path, 'supplementalGroupsPolicy'), 'Strict is not supported: the container engine always adds the groups the image gives the user (Merge)');
    },
  },
);

export const securityContext = S.obj(
  {
    ...commonSecurityFields,
    privileged: S.bool,
    allowPrivilegeEscalation: S.bool,
    readOnlyRootFilesystem: S.bool,
    capabilities: S.obj({ add: strings, drop: strings }),
    procMount: S.oneOf('Default', 'Unmasked'),
  },
  {
    unsupported: set('seLinuxOptions', 'windowsOptions'),
    hook: (o, path, ctx) => {
      // As Kubernetes: a privileged container always can escalate.
      if (o.privileged === true && o.allowPrivilegeEscalation === false) err(ctx, join(path, 'allowPrivilegeEscalation'), 'cannot be false when privileged is true');
      // Kubernetes allows an unmasked /proc only in a user namespace (hostUsers: false), which Kite has not.
      if (o.procMount === 'Unmasked') err(ctx, join(path, 'procMount'), 'Unmasked requires hostUsers: false, which Kite does not support');
    },
  },
);

/** Sysctls that would change the node's own namespaces are refused, as the kubelet does. */
export function checkPodSysctls(o: Obj, path: string, ctx: Ctx): void {
  const sc = o.securityContext;
  if (!isObj(sc) || !Array.isArray(sc.sysctls)) return;
  sc.sysctls.forEach((item, i) => {
    if (!isObj(item) || typeof item.name !== 'string') return;
    const ns = sysctlNamespace(item.name);
    if (ns === 'network' && o.hostNetwork === true) err(ctx, `${path}.securityContext.sysctls[${i}].name`, `${item.name} is not allowed with hostNetwork: it would change the node's network namespace`);
    if (ns === 'ipc' && o.hostIPC === true) err(ctx, `${path}.securityContext.sysctls[${i}].name`, `${item.name} is not allowed with hostIPC: it would change the node's IPC namespace`);
  });
}

export function uniqueBy(items: unknown[], field: string, path: string, ctx: Ctx, what: string): void {
  const seen = new Map<string, number>();
  items.forEach((it, i) => {
    if (!isObj(it) || typeof it[field] !== 'string' || it[field] === '') return;
    const key = it[field] as string;
    const first = seen.get(key);
    if (first !== undefined) err(ctx, `${path}[${i}].${field}`, `duplicate ${what} ${JSON.stringify(key)} (also ${path}[${first}])`);
    else seen.set(key, i);
  });
}

export const container = S.obj(
  {
    name: S.nonEmpty(dns1123LabelError),
    image: S.nonEmpty((v) => (/\s/.test(v) ? 'must not contain whitespace' : undefined)),
    imagePullPolicy: S.oneOf('Always', 'IfNotPresent', 'Never'),
    command: strings,
    args: strings,
    workingDir: S.str(),
    env: S.list(envVar, false, (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'environment variable')),
    envFrom: S.list(envFrom),
    ports: S.list(containerPort),
    resources,
    volumeMounts: S.list(volumeMount, false, (v, path, ctx) => uniqueBy(v, 'mountPath', path, ctx, 'mountPath')),
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    securityContext,
    lifecycle,
    tty: S.bool,
    stdin: S.bool,
    // Only Always, only on init containers (a sidecar): checked with the pod (checkInitContainers).
    restartPolicy: S.str(),
  },
  {
    required: ['name', 'image'],
    unsupported: set('terminationMessagePath', 'terminationMessagePolicy', 'stdinOnce', 'volumeDevices', 'resizePolicy'),
    hook: (o, path, ctx) => {
      // Kubernetes requires successThreshold 1 for liveness and startup probes.
      for (const p of ['livenessProbe', 'startupProbe']) {
        const pr = o[p];
        if (isObj(pr) && pr.successThreshold != null && pr.successThreshold !== 1) err(ctx, join(join(path, p), 'successThreshold'), 'must be 1 for liveness and startup probes');
      }
      // A probe naming a port must name one this container declares.
      const names = new Set(Array.isArray(o.ports) ? o.ports.filter(isObj).map((p) => p.name) : []);
      for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const pr = o[p];
        if (!isObj(pr)) continue;
        for (const h of ['httpGet', 'tcpSocket']) {
          const handler = pr[h];
          if (isObj(handler) && typeof handler.port === 'string' && !/^\d+$/.test(handler.port) && !portNameError(handler.port) && !names.has(handler.port)) {
            err(ctx, `${join(join(path, p), h)}.port`, `no container port named ${JSON.stringify(handler.port)}`);
          }
        }
      }
    },
  },
);

// ---- pods -------------------------------------------------------------------------------------

export const keyToPath = S.obj(
  { key: S.nonEmpty(configKeyError), path: S.nonEmpty((v) => (v.startsWith('/') || v.split('/').includes('..') ? 'must be a relative path without ".."' : undefined)), mode: S.int(0, 0o777) },
  { required: ['key', 'path'] },
);

export const VOLUME_SOURCES = ['emptyDir', 'hostPath', 'configMap', 'secret', 'downwardAPI', 'projected', 'persistentVolumeClaim'];
export const UNSUPPORTED_VOLUME_SOURCES = [
  'nfs', 'csi', 'ephemeral', 'awsElasticBlockStore', 'gcePersistentDisk',
  'azureDisk', 'azureFile', 'iscsi', 'rbd', 'cephfs', 'glusterfs', 'fc', 'flexVolume', 'flocker', 'gitRepo', 'portworxVolume',
  'quobyte', 'scaleIO', 'storageos', 'vsphereVolume', 'photonPersistentDisk', 'cinder', 'image',
];

const downwardAPIVolumeFile = S.obj(
  {
    path: S.nonEmpty((v) => (v.startsWith('/') || v.split('/').includes('..') ? 'must be a relative path without ".."' : undefined)),
    fieldRef: objectFieldSelector(VOLUME_FIELD_PATHS),
    resourceFieldRef: resourceFieldSelector,
    mode: S.int(0, 0o777),
  },
  {
    required: ['path'],
    hook: (o, path, ctx) => {
      const n = ['fieldRef', 'resourceFieldRef'].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one of fieldRef, resourceFieldRef (got ${n})`);
      if (isObj(o.resourceFieldRef) && (o.resourceFieldRef.containerName ?? '') === '') err(ctx, join(join(path, 'resourceFieldRef'), 'containerName'), 'is required in a volume');
    },
  },
);

const projectedSource = S.obj(
  {
    configMap: S.obj({ name: S.nonEmpty(dns1123SubdomainError), items: S.list(keyToPath), optional: S.bool }, { required: ['name'] }),
    secret: S.obj({ name: S.nonEmpty(dns1123SubdomainError), items: S.list(keyToPath), optional: S.bool }, { required: ['name'] }),
    downwardAPI: S.obj({ items: S.list(downwardAPIVolumeFile) }),
    serviceAccountToken: S.obj({ path: S.nonEmpty(), audience: S.str(), expirationSeconds: S.int(600) }, { required: ['path'] }),
  },
  {
    unsupported: set('clusterTrustBundle', 'podCertificate'),
    hook: (o, path, ctx) => {
      const n = ['configMap', 'secret', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle', 'podCertificate'].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one of configMap, secret, downwardAPI, serviceAccountToken (got ${n})`);
      if (o.serviceAccountToken != null) ctx.warnings.push({ path: join(path, 'serviceAccountToken'), message: 'has no effect: Kite issues no service account tokens, so this file is not written' });
    },
  },
);

export const volume = S.obj(
  {
    name: S.nonEmpty(dns1123LabelError),
    emptyDir: S.obj({ medium: S.oneOf('', 'Memory'), sizeLimit: { t: 'quantity', parse: parseMemory } }),
    hostPath: S.obj(
      {
        path: S.nonEmpty((v) => (v.startsWith('/') ? undefined : 'must be an absolute path')),
        type: S.oneOf('', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'),
      },
      { required: ['path'] },
    ),
    configMap: S.obj({ name: S.nonEmpty(dns1123SubdomainError), items: S.list(keyToPath), defaultMode: S.int(0, 0o777), optional: S.bool }, { required: ['name'] }),
    secret: S.obj({ secretName: S.nonEmpty(dns1123SubdomainError), items: S.list(keyToPath), defaultMode: S.int(0, 0o777), optional: S.bool }, { required: ['secretName'] }),
    persistentVolumeClaim: S.obj({ claimName: S.nonEmpty(dns1123SubdomainError), readOnly: S.bool }, { required: ['claimName'] }),
    downwardAPI: S.obj({ items: S.list(downwardAPIVolumeFile), defaultMode: S.int(0, 0o777) }),
    projected: S.obj({ sources: S.list(projectedSource), defaultMode: S.int(0, 0o777) }),
    ...Object.fromEntries(UNSUPPORTED_VOLUME_SOURCES.map((k) => [k, S.any])),
  },
  {
    required: ['name'],
    hook: (o, path, ctx) => {
      const n = [...VOLUME_SOURCES, ...UNSUPPORTED_VOLUME_SOURCES].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one volume source: ${VOLUME_SOURCES.join(', ')} (got ${n})`);
      // Ignoring one would start the container without its data: refuse instead.
      for (const k of UNSUPPORTED_VOLUME_SOURCES) {
        if (o[k] != null) err(ctx, join(path, k), `volume source ${JSON.stringify(k)} is not available in Kite: use a persistentVolumeClaim (local-path), hostPath or emptyDir`);
      }
    },
  },
);

export const toleration = S.obj(
  { key: S.str(labelKeyError), operator: S.oneOf('Exists', 'Equal'), value: S.str(labelValueError), effect: S.oneOf('', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'), tolerationSeconds: S.int() },
  {
    hook: (o, path, ctx) => {
      const op = o.operator ?? 'Equal';
      if (op === 'Exists' && typeof o.value === 'string' && o.value !== '') err(ctx, join(path, 'value'), 'must be empty when operator is Exists');
      if ((o.key == null || o.key === '') && op !== 'Exists') err(ctx, join(path, 'operator'), 'must be Exists when key is empty');
      if (o.tolerationSeconds != null && o.effect !== 'NoExecute') err(ctx, join(path, 'effect'), 'must be NoExecute when tolerationSeconds is set');
    },
  },
);

export const nodeSelectorRequirement = selectorRequirement(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
export const nodeSelectorTerm = S.obj({ matchExpressions: S.list(nodeSelectorRequirement), matchFields: S.list(nodeSelectorRequirement) });

// Inter-pod (anti-)affinity: pods selected by labelSelector in namespaces within one topology
// domain (the nodes sharing the value of the node label topologyKey).
const labelKeys = S.list(S.nonEmpty(labelKeyError));
export const podAffinityTerm = S.obj(
  { labelSelector, topologyKey: S.nonEmpty(labelKeyError), namespaces: S.list(S.nonEmpty(dns1123LabelError)), namespaceSelector: labelSelector, matchLabelKeys: labelKeys, mismatchLabelKeys: labelKeys },
  {
    required: ['topologyKey'],
    hook: (o, path, ctx) => {
      const match = Array.isArray(o.matchLabelKeys) ? o.matchLabelKeys : [];
      const mismatch = Array.isArray(o.mismatchLabelKeys) ? o.mismatchLabelKeys : [];
      if (match.length + mismatch.length > 0 && o.labelSelector == null) err(ctx, join(path, 'labelSelector'), 'must be set when matchLabelKeys or mismatchLabelKeys is');
      for (const k of match) if (mismatch.includes(k)) err(ctx, join(path, 'mismatchLabelKeys'), `key ${JSON.stringify(k)} is also in matchLabelKeys`);
    },
  },
);
const podAffinityRules = S.obj({
  requiredDuringSchedulingIgnoredDuringExecution: S.list(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: S.list(S.obj({ weight: S.int(1, 100), podAffinityTerm }, { required: ['weight', 'podAffinityTerm'] })),
});

export const affinity = S.obj({
  nodeAffinity: S.obj({
    requiredDuringSchedulingIgnoredDuringExecution: S.obj({ nodeSelectorTerms: S.list(nodeSelectorTerm, true) }, { required: ['nodeSelectorTerms'] }),
    preferredDuringSchedulingIgnoredDuringExecution: S.list(S.obj({ weight: S.int(1, 100), preference: nodeSelectorTerm }, { required: ['weight', 'preference'] })),
  }),
  podAffinity: podAffinityRules,
  podAntiAffinity: podAffinityRules,
});

const nodeInclusionPolicy = S.oneOf('Honor', 'Ignore');
export const topologySpreadConstraint = S.obj(
  {
    maxSkew: positive,
    topologyKey: S.nonEmpty(labelKeyError),
    whenUnsatisfiable: S.oneOf('DoNotSchedule', 'ScheduleAnyway'),
    labelSelector,
    minDomains: positive,
    matchLabelKeys: labelKeys,
    nodeAffinityPolicy: nodeInclusionPolicy,
    nodeTaintsPolicy: nodeInclusionPolicy,
  },
  {
    required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
    hook: (o, path, ctx) => {
      if (o.minDomains != null && o.whenUnsatisfiable !== 'DoNotSchedule') err(ctx, join(path, 'minDomains'), 'can only be set when whenUnsatisfiable is DoNotSchedule');
      const keys = Array.isArray(o.matchLabelKeys) ? o.matchLabelKeys : [];
      if (keys.length === 0) return;
      if (o.labelSelector == null) {
        err(ctx, join(path, 'labelSelector'), 'must be set when matchLabelKeys is');
        return;
      }
      const sel = isObj(o.labelSelector) ? o.labelSelector : {};
      const selected = new Set([
        ...(isObj(sel.matchLabels) ? Object.keys(sel.matchLabels) : []),
        ...(Array.isArray(sel.matchExpressions) ? sel.matchExpressions.filter(isObj).map((e) => e.key) : []),
      ]);
      for (const k of keys) if (selected.has(k)) err(ctx, join(path, 'matchLabelKeys'), `key ${JSON.stringify(k)} already appears in labelSelector`);
    },
  },
);

/** As Kubernetes: one constraint per topologyKey and whenUnsatisfiable. */
function uniqueSpreadConstraints(v: unknown[], path: string, ctx: Ctx): void {
  const seen = new Set<string>();
  v.forEach((c, i) => {
    if (!isObj(c) || typeof c.topologyKey !== 'string' || typeof c.whenUnsatisfiable !== 'string') return;
    const pair = `${c.topologyKey} ${c.whenUnsatisfiable}`;
    if (seen.has(pair)) err(ctx, `${path}[${i}]`, `duplicate constraint for topologyKey ${JSON.stringify(c.topologyKey)} and whenUnsatisfiable ${c.whenUnsatisfiable}`);
    seen.add(pair);
  });
}

export const podSpec = S.obj(
  {
    initContainers: S.list(container, false, (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'container name')),
    containers: S.list(container, true, (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'container name')),
    restartPolicy: S.oneOf('Always', 'OnFailure', 'Never'),
    nodeName: S.str(dns1123SubdomainError),
    nodeSelector: labelsSchema,
    tolerations: S.list(toleration),
    affinity,
    topologySpreadConstraints: S.list(topologySpreadConstraint, false, uniqueSpreadConstraints),
    volumes: S.list(volume, false, (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'volume name')),
    terminationGracePeriodSeconds: nonNegative,
    imagePullSecrets: S.list(S.obj({ name: S.nonEmpty(dns1123SubdomainError) }, { required: ['name'] })),
    // Recorded as given (Kite issues no tokens). Empty means the default account, as in Kubernetes.
    serviceAccountName: S.str(serviceAccountNameError),
    serviceAccount: S.str(serviceAccountNameError),
    automountServiceAccountToken: S.bool,
    hostname: S.str(dns1123LabelError),
    // With hostname, <hostname>.<subdomain>.<ns>.svc resolves to the pod through the headless Service named subdomain.
    subdomain: S.str(dns1123LabelError),
    hostNetwork: S.bool,
    hostPID: S.bool,
    hostIPC: S.bool,
    securityContext: podSecurityContext,
    dnsPolicy: S.oneOf('ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'),
    dnsConfig: S.obj({
      nameservers: S.list(S.str(ipv4Error)),
      searches: S.list(S.nonEmpty((v) => (v.length > 253 ? 'must be at most 253 characters' : /\s/.test(v) ? 'must not contain whitespace' : undefined))),
      options: S.list(S.obj({ name: S.nonEmpty((v) => (/[\s:]/.test(v) ? 'must not contain whitespace or ":"' : undefined)), value: S.str((v) => (/\s/.test(v) ? 'must not contain whitespace' : undefined)) }, { required: ['name'] })),
    }),
    hostAliases: S.list(S.obj({ ip: S.nonEmpty(ipv4Error), hostnames: S.list(S.nonEmpty(dns1123SubdomainError)) }, { required: ['ip'] })),
    enableServiceLinks: S.bool,
    // The scheduler leaves the pod alone while any gate is left (qualified names, e.g. kite.io/depends-on).
    schedulingGates: S.list(S.obj({ name: S.nonEmpty(labelKeyError) }, { required: ['name'] }), false, (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'scheduling gate')),
  },
  {
    required: ['containers'],
    unsupported: set(
      'ephemeralContainers',
      'priorityClassName', 'priority', 'preemptionPolicy', 'hostUsers',
      'shareProcessNamespace', 'schedulerName', 'runtimeClassName', 'setHostnameAsFQDN',
      'overhead', 'activeDeadlineSeconds', 'readinessGates', 'os',
      'resourceClaims', 'resources',
    ),
    hook: (o, path, ctx) => {
      checkPodRefs(o, path, ctx);
      checkPodSysctls(o, path, ctx);
      // As Kubernetes: a pod is bound only once its gates are gone, so it cannot be created bound and gated.
      if (typeof o.nodeName === 'string' && o.nodeName !== '' && Array.isArray(o.schedulingGates) && o.schedulingGates.length > 0) {
        err(ctx, join(path, 'nodeName'), 'cannot be set until all schedulingGates have been removed');
      }
      // As Kubernetes: with dnsPolicy None the resolver comes from dnsConfig alone.
      if (o.dnsPolicy === 'None' && !(isObj(o.dnsConfig) && Array.isArray(o.dnsConfig.nameservers) && o.dnsConfig.nameservers.length > 0)) {
        err(ctx, join(path, 'dnsConfig'), 'must give at least one nameserver when dnsPolicy is None');
      }
    },
  },
);

function ipv4Error(v: string): string | undefined {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255) ? undefined : 'must be an IPv4 address';
}

function serviceAccountNameError(name: string): string | undefined {
  return name === '' ? undefined : dns1123SubdomainError(name);
}

/** Cross-container rules: mounts name declared volumes, port names are unique in the pod, host ports don't clash. */
export function checkPodRefs(o: Obj, path: string, ctx: Ctx): void {
  checkInitContainers(o, path, ctx);
  const volumes = new Set(Array.isArray(o.volumes) ? o.volumes.filter(isObj).map((v) => v.name) : []);
  const portNames = new Map<string, string>();
  const hostPorts = new Map<string, string>();
  // Init containers (sidecars included) mount the pod's volumes and hold ports like the others.
  const listed = (field: 'initContainers' | 'containers') => (Array.isArray(o[field]) ? (o[field] as unknown[]) : []).map((c, ci) => ({ c, cpath: `${path}.${field}[${ci}]` }));
  [...listed('initContainers'), ...listed('containers')].forEach(({ c, cpath }) => {
    if (!isObj(c)) return;
    if (Array.isArray(c.volumeMounts)) {
      c.volumeMounts.forEach((m, mi) => {
        if (isObj(m) && typeof m.name === 'string' && m.name !== '' && !volumes.has(m.name)) {
          err(ctx, `${cpath}.volumeMounts[${mi}].name`, `volume ${JSON.stringify(m.name)} is not declared in ${path}.volumes`);
        }
      });
    }
    if (Array.isArray(c.ports)) {
      c.ports.forEach((p, pi) => {
        if (!isObj(p)) return;
        const ppath = `${cpath}.ports[${pi}]`;
        if (typeof p.name === 'string' && p.name !== '') {
          const prev = portNames.get(p.name);
          if (prev) err(ctx, `${ppath}.name`, `duplicate port name ${JSON.stringify(p.name)} (also ${prev})`);
          else portNames.set(p.name, ppath);
        }
        if (typeof p.hostPort === 'number') {
          const key = `${p.hostPort}/${typeof p.protocol === 'string' ? p.protocol : 'TCP'}`;
          const prev = hostPorts.get(key);
          if (prev) err(ctx, `${ppath}.hostPort`, `host port ${key} is already used by ${prev}`);
          else hostPorts.set(key, ppath);
        }
      });
    }
  });
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/**
 * The init-container rules, as Kubernetes has them: a container-level restartPolicy is only for
 * init containers and only Always (a sidecar); a run-to-completion init container has no probes
 * (nothing would act on them); a container name is unique across init and app containers.
 */
function checkInitContainers(o: Obj, path: string, ctx: Ctx): void {
  const inits = Array.isArray(o.initContainers) ? o.initContainers : [];
  const apps = Array.isArray(o.containers) ? o.containers : [];
  const initNames = new Map<string, number>();
  inits.forEach((c, i) => {
    if (!isObj(c)) return;
    const cpath = `${path}.initContainers[${i}]`;
    if (typeof c.name === 'string' && c.name !== '' && !initNames.has(c.name)) initNames.set(c.name, i);
    if (c.restartPolicy != null && c.restartPolicy !== 'Always') {
      err(ctx, `${cpath}.restartPolicy`, `must be Always (a sidecar) or unset, got ${JSON.stringify(c.restartPolicy)}`);
      return;
    }
    if (c.restartPolicy === 'Always') return;
    for (const p of PROBES) if (c[p] != null) err(ctx, `${cpath}.${p}`, 'may not be set for init containers without restartPolicy Always');
  });
  apps.forEach((c, i) => {
    if (!isObj(c)) return;
    const cpath = `${path}.containers[${i}]`;
    if (c.restartPolicy != null) err(ctx, `${cpath}.restartPolicy`, 'may only be set on init containers (restartPolicy Always makes a sidecar)');
    const same = typeof c.name === 'string' ? initNames.get(c.name) : undefined;
    if (same !== undefined) err(ctx, `${cpath}.name`, `duplicate container name ${JSON.stringify(c.name)} (also ${path}.initContainers[${same}])`);
  });
}

export const podTemplate = S.obj({ metadata: templateMetadata, spec: podSpec }, { required: ['spec'] });
