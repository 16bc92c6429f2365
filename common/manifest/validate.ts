// Strict validation of Kite objects against the Kubernetes-compatible subset in common/api/types.ts.
// Real Kubernetes fields Kite does not implement are warnings; anything else unknown is an error.
import { KINDS, kindInfo, DEFAULT_NAMESPACE } from '../api/kinds';
import type { KObject, LabelSelector } from '../api/types';
import { invalid } from '../errors';
import {
  configKeyError,
  dns1035LabelError,
  dns1123LabelError,
  dns1123SubdomainError,
  envVarNameError,
  labelKeyError,
  labelValueError,
  portNameError,
} from './names';
import type { ManifestDoc } from './parse';
import { isIntOrPercent, parseCpu, parseMemory } from './quantity';
import { type Ctx, type FieldIssue, type Obj, type ObjectSchema, type Schema, isObj, join, walk } from './schema';
import { selectorFromLabelSelector } from './selector';

export type { FieldIssue } from './schema';

// ---- building blocks ------------------------------------------------------------------------

const S = {
  str: (rule?: (v: string) => string | undefined): Schema => ({ t: 'string', rule }),
  nonEmpty: (rule?: (v: string) => string | undefined): Schema => ({ t: 'string', nonEmpty: true, rule }),
  oneOf: (...values: string[]): Schema => ({ t: 'string', enum: values }),
  int: (min?: number, max?: number): Schema => ({ t: 'int', min, max }),
  bool: { t: 'bool' } as Schema,
  any: { t: 'any' } as Schema,
  anyObject: { t: 'anyObject' } as Schema,
  list: (items: Schema, nonEmpty = false, hook?: (v: unknown[], path: string, ctx: Ctx) => void): Schema => ({ t: 'array', items, nonEmpty, hook }),
  map: (values: Schema, key?: (k: string) => string | undefined): Schema => ({ t: 'map', values, key }),
  obj: (fields: Record<string, Schema>, more: Omit<ObjectSchema, 't' | 'fields'> = {}): ObjectSchema => ({ t: 'object', fields, ...more }),
};

const set = (...names: string[]): ReadonlySet<string> => new Set(names);
const err = (ctx: Ctx, path: string, message: string) => ctx.errors.push({ path, message });
const warn = (ctx: Ctx, path: string, message: string) => ctx.warnings.push({ path, message });
const strings = S.list(S.str());
const port: Schema = S.int(1, 65535);
const nonNegative = S.int(0);
const positive = S.int(1);

const labelsSchema: Schema = S.map(S.str(labelValueError), labelKeyError);
const annotationsSchema: Schema = {
  t: 'map',
  values: S.str(),
  key: labelKeyError,
  hook: (v, path, ctx) => {
    let size = 0;
    for (const [k, val] of Object.entries(v)) size += k.length + (typeof val === 'string' ? val.length : 0);
    if (size > 256 * 1024) err(ctx, path, `total size ${size} bytes is over the limit of 262144 bytes`);
  },
};

const ownerReference = S.obj(
  { apiVersion: S.nonEmpty(), kind: S.nonEmpty(), name: S.nonEmpty(), uid: S.nonEmpty(), controller: S.bool, blockOwnerDeletion: S.bool },
  { required: ['apiVersion', 'kind', 'name', 'uid'] },
);

const metadata = S.obj(
  {
    name: S.nonEmpty(), // the kind-specific name rule is applied in validateObject
    namespace: S.str(dns1123LabelError),
    labels: labelsSchema,
    annotations: annotationsSchema,
    uid: S.str(),
    resourceVersion: S.str(),
    generation: nonNegative,
    creationTimestamp: S.str(),
    deletionTimestamp: S.str(),
    ownerReferences: S.list(ownerReference),
    generateName: S.str(),
  },
  {
    required: ['name'],
    unsupported: set('finalizers', 'deletionGracePeriodSeconds'),
    // Present in objects exported from a real cluster; meaningless here.
    ignored: set('managedFields', 'selfLink', 'clusterName'),
  },
);

// Template metadata: names and namespaces there are ignored by Kubernetes, so only labels/annotations matter.
const templateMetadata = S.obj(
  { name: S.str(), namespace: S.str(), labels: labelsSchema, annotations: annotationsSchema, generateName: S.str(), creationTimestamp: S.any },
  { unsupported: set('finalizers', 'ownerReferences') },
);

const selectorRequirement = (operators: string[]) =>
  S.obj(
    { key: S.nonEmpty(labelKeyError), operator: S.oneOf(...operators), values: strings },
    {
      required: ['key', 'operator'],
      hook: (o, path, ctx) => {
        const values = Array.isArray(o.values) ? o.values : [];
        const op = o.operator;
        if ((op === 'In' || op === 'NotIn') && values.length === 0) err(ctx, join(path, 'values'), `must have at least one value for operator ${op}`);
        if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) err(ctx, join(path, 'values'), `must be empty for operator ${op}`);
        if (op === 'Gt' || op === 'Lt') {
          if (values.length !== 1 || !/^-?\d+$/.test(String(values[0]))) err(ctx, join(path, 'values'), `must be a single integer for operator ${op}`);
        }
      },
    },
  );

const labelSelector = S.obj({
  matchLabels: labelsSchema,
  matchExpressions: S.list(selectorRequirement(['In', 'NotIn', 'Exists', 'DoesNotExist'])),
});

// ---- containers -------------------------------------------------------------------------------

const keySelector = S.obj({ name: S.nonEmpty(dns1123SubdomainError), key: S.nonEmpty(configKeyError), optional: S.bool }, { required: ['name', 'key'] });

const envVar = S.obj(
  {
    name: S.nonEmpty(envVarNameError),
    value: S.str(),
    valueFrom: S.obj(
      { configMapKeyRef: keySelector, secretKeyRef: keySelector },
      {
        unsupported: set('fieldRef', 'resourceFieldRef', 'fileKeyRef'),
        hook: (o, path, ctx) => {
          const n = ['configMapKeyRef', 'secretKeyRef', 'fieldRef', 'resourceFieldRef', 'fileKeyRef'].filter((k) => o[k] != null).length;
          if (n !== 1) err(ctx, path, `must specify exactly one of configMapKeyRef, secretKeyRef (got ${n})`);
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

const envFromRef = S.obj({ name: S.nonEmpty(dns1123SubdomainError), optional: S.bool }, { required: ['name'] });
const envFrom = S.obj(
  { prefix: S.str(), configMapRef: envFromRef, secretRef: envFromRef },
  {
    hook: (o, path, ctx) => {
      const n = ['configMapRef', 'secretRef'].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one of configMapRef, secretRef (got ${n})`);
      if (typeof o.prefix === 'string' && o.prefix !== '' && envVarNameError(o.prefix)) err(ctx, join(path, 'prefix'), `invalid value ${JSON.stringify(o.prefix)}: ${envVarNameError(o.prefix)}`);
    },
  },
);

const containerPort = S.obj(
  { name: S.str(portNameError), containerPort: port, hostPort: port, hostIP: S.str(), protocol: S.oneOf('TCP', 'UDP') },
  { required: ['containerPort'] },
);

// Extended and other resources (nvidia.com/gpu, ephemeral-storage, hugepages-2Mi) are real but not scheduled by Kite.
const isOtherResource = (k: string) => k === 'ephemeral-storage' || k === 'storage' || k.startsWith('hugepages-') || k.includes('/');
const resourceList = S.obj({ cpu: { t: 'quantity', parse: parseCpu }, memory: { t: 'quantity', parse: parseMemory } }, { unsupportedKey: isOtherResource });

function tryParse(parse: (q: string | number) => number, v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parse(v);
  } catch {
    return undefined;
  }
}

const resources = S.obj(
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

const volumeMount = S.obj(
  {
    name: S.nonEmpty(),
    mountPath: S.nonEmpty((v) => (v.startsWith('/') ? undefined : 'must be an absolute path')),
    readOnly: S.bool,
    subPath: S.str((v) => (v.startsWith('/') ? 'must be a relative path' : v.split('/').includes('..') ? 'must not contain ".."' : undefined)),
  },
  { required: ['name', 'mountPath'], unsupported: set('mountPropagation', 'subPathExpr', 'recursiveReadOnly') },
);

const probePort: Schema = {
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

const probe = S.obj(
  {
    httpGet: S.obj(
      {
        path: S.str(),
        port: probePort,
        host: S.str(),
        scheme: S.oneOf('HTTP', 'HTTPS'),
        httpHeaders: S.list(S.obj({ name: S.nonEmpty(), value: S.str() }, { required: ['name', 'value'] })),
      },
      { required: ['port'] },
    ),
    tcpSocket: S.obj({ port: probePort, host: S.str() }, { required: ['port'] }),
    exec: S.obj({ command: S.list(S.str(), true) }, { required: ['command'] }),
    // grpc is a real handler Kite cannot run: accepting it would leave a probe with no handler.
    grpc: S.any,
    initialDelaySeconds: nonNegative,
    periodSeconds: positive,
    timeoutSeconds: positive,
    successThreshold: positive,
    failureThreshold: positive,
  },
  {
    unsupported: set('terminationGracePeriodSeconds'),
    hook: (o, path, ctx) => {
      if (o.grpc != null) err(ctx, join(path, 'grpc'), 'grpc probes are not supported by Kite; use httpGet, tcpSocket or exec');
      const n = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one handler: httpGet, tcpSocket or exec (got ${n})`);
    },
  },
);

const securityContext = S.obj(
  {
    runAsUser: nonNegative,
    runAsGroup: nonNegative,
    privileged: S.bool,
    readOnlyRootFilesystem: S.bool,
    capabilities: S.obj({ add: strings, drop: strings }),
  },
  { unsupported: set('allowPrivilegeEscalation', 'runAsNonRoot', 'seccompProfile', 'seLinuxOptions', 'procMount', 'windowsOptions', 'appArmorProfile') },
);

function uniqueBy(items: unknown[], field: string, path: string, ctx: Ctx, what: string): void {
  const seen = new Map<string, number>();
  items.forEach((it, i) => {
    if (!isObj(it) || typeof it[field] !== 'string' || it[field] === '') return;
    const key = it[field] as string;
    const first = seen.get(key);
    if (first !== undefined) err(ctx, `${path}[${i}].${field}`, `duplicate ${what} ${JSON.stringify(key)} (also ${path}[${first}])`);
    else seen.set(key, i);
  });
}

const container = S.obj(
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
    tty: S.bool,
    stdin: S.bool,
  },
  {
    required: ['name', 'image'],
    unsupported: set('lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'stdinOnce', 'volumeDevices', 'resizePolicy', 'restartPolicy'),
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

const keyToPath = S.obj(
  { key: S.nonEmpty(configKeyError), path: S.nonEmpty((v) => (v.startsWith('/') || v.split('/').includes('..') ? 'must be a relative path without ".."' : undefined)), mode: S.int(0, 0o777) },
  { required: ['key', 'path'] },
);

const VOLUME_SOURCES = ['emptyDir', 'hostPath', 'configMap', 'secret'];
const UNSUPPORTED_VOLUME_SOURCES = [
  'persistentVolumeClaim', 'nfs', 'projected', 'downwardAPI', 'csi', 'ephemeral', 'awsElasticBlockStore', 'gcePersistentDisk',
  'azureDisk', 'azureFile', 'iscsi', 'rbd', 'cephfs', 'glusterfs', 'fc', 'flexVolume', 'flocker', 'gitRepo', 'portworxVolume',
  'quobyte', 'scaleIO', 'storageos', 'vsphereVolume', 'photonPersistentDisk', 'cinder', 'image',
];

const volume = S.obj(
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
  },
  {
    required: ['name'],
    unsupported: new Set(UNSUPPORTED_VOLUME_SOURCES),
    hook: (o, path, ctx) => {
      const n = [...VOLUME_SOURCES, ...UNSUPPORTED_VOLUME_SOURCES].filter((k) => o[k] != null).length;
      if (n !== 1) err(ctx, path, `must specify exactly one volume source: ${VOLUME_SOURCES.join(', ')} (got ${n})`);
    },
  },
);

const toleration = S.obj(
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

const nodeSelectorRequirement = selectorRequirement(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
const nodeSelectorTerm = S.obj({ matchExpressions: S.list(nodeSelectorRequirement), matchFields: S.list(nodeSelectorRequirement) });

const affinity = S.obj(
  {
    nodeAffinity: S.obj({
      requiredDuringSchedulingIgnoredDuringExecution: S.obj({ nodeSelectorTerms: S.list(nodeSelectorTerm, true) }, { required: ['nodeSelectorTerms'] }),
      preferredDuringSchedulingIgnoredDuringExecution: S.list(S.obj({ weight: S.int(1, 100), preference: nodeSelectorTerm }, { required: ['weight', 'preference'] })),
    }),
  },
  { unsupported: set('podAffinity', 'podAntiAffinity') },
);

const podSpec = S.obj(
  {
    containers: S.list(container, true, (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'container name')),
    restartPolicy: S.oneOf('Always', 'OnFailure', 'Never'),
    nodeName: S.str(dns1123SubdomainError),
    nodeSelector: labelsSchema,
    tolerations: S.list(toleration),
    affinity,
    volumes: S.list(volume, false, (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'volume name')),
    terminationGracePeriodSeconds: nonNegative,
    imagePullSecrets: S.list(S.obj({ name: S.nonEmpty(dns1123SubdomainError) }, { required: ['name'] })),
    hostname: S.str(dns1123LabelError),
  },
  {
    required: ['containers'],
    unsupported: set(
      'initContainers', 'ephemeralContainers', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'securityContext',
      'priorityClassName', 'priority', 'preemptionPolicy', 'dnsPolicy', 'dnsConfig', 'hostNetwork', 'hostPID', 'hostIPC', 'hostUsers',
      'shareProcessNamespace', 'topologySpreadConstraints', 'schedulerName', 'runtimeClassName', 'subdomain', 'setHostnameAsFQDN',
      'hostAliases', 'overhead', 'enableServiceLinks', 'activeDeadlineSeconds', 'readinessGates', 'os', 'schedulingGates',
      'resourceClaims', 'resources',
    ),
    hook: (o, path, ctx) => checkPodRefs(o, path, ctx),
  },
);

/** Cross-container rules: mounts name declared volumes, port names are unique in the pod, host ports don't clash. */
function checkPodRefs(o: Obj, path: string, ctx: Ctx): void {
  const volumes = new Set(Array.isArray(o.volumes) ? o.volumes.filter(isObj).map((v) => v.name) : []);
  const portNames = new Map<string, string>();
  const hostPorts = new Map<string, string>();
  const containers = Array.isArray(o.containers) ? o.containers : [];
  containers.forEach((c, ci) => {
    if (!isObj(c)) return;
    const cpath = `${path}.containers[${ci}]`;
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

const podTemplate = S.obj({ metadata: templateMetadata, spec: podSpec }, { required: ['spec'] });

// ---- workload rules ---------------------------------------------------------------------------

function templateOf(spec: Obj): { labels: Record<string, string> | undefined; restartPolicy: unknown } {
  const t = isObj(spec.template) ? spec.template : {};
  const md = isObj(t.metadata) ? t.metadata : {};
  const ps = isObj(t.spec) ? t.spec : {};
  return { labels: isObj(md.labels) ? (md.labels as Record<string, string>) : undefined, restartPolicy: ps.restartPolicy };
}

/** The selector must select the pods the template makes, or the controller would create pods forever. */
function checkSelectorMatchesTemplate(spec: Obj, path: string, ctx: Ctx, required: boolean): void {
  const sel = spec.selector;
  if (sel == null) {
    if (required) err(ctx, join(path, 'selector'), 'is required');
    return;
  }
  if (!isObj(sel)) return;
  const empty = (!isObj(sel.matchLabels) || Object.keys(sel.matchLabels).length === 0) && (!Array.isArray(sel.matchExpressions) || sel.matchExpressions.length === 0);
  if (empty) {
    err(ctx, join(path, 'selector'), 'must not be empty (it would select every pod in the namespace)');
    return;
  }
  let matches: boolean;
  try {
    matches = selectorFromLabelSelector(sel as LabelSelector).matches(templateOf(spec).labels ?? {});
  } catch {
    return; // the malformed selector is already reported
  }
  if (!matches) err(ctx, join(join(join(path, 'template'), 'metadata'), 'labels'), `must match the selector ${JSON.stringify(sel)}`);
}

function checkRestartPolicy(spec: Obj, path: string, ctx: Ctx, allowed: string[], required: boolean): void {
  const rp = templateOf(spec).restartPolicy;
  const p = `${path}.template.spec.restartPolicy`;
  if (rp == null) {
    if (required) err(ctx, p, `is required: must be one of ${allowed.join(', ')}`);
  } else if (typeof rp === 'string' && !allowed.includes(rp)) {
    err(ctx, p, `unsupported value ${JSON.stringify(rp)} for this kind: must be ${allowed.join(' or ')}`);
  }
}

const intOrPercent: Schema = {
  t: 'intOrString',
  hook: (v, path, ctx) => {
    if (!isIntOrPercent(v)) err(ctx, path, `must be a non-negative integer or a percentage such as "25%", got ${JSON.stringify(v)}`);
    else if (typeof v === 'string' && Number(v.slice(0, -1)) > 100) err(ctx, path, 'must not be greater than 100%');
  },
};

const isZero = (v: unknown) => v === 0 || v === '0%';

function rollingUpdateHook(defaultSurge: unknown, defaultUnavailable: unknown) {
  return (o: Obj, path: string, ctx: Ctx) => {
    const surge = o.maxSurge ?? defaultSurge;
    const unavailable = o.maxUnavailable ?? defaultUnavailable;
    if (isZero(surge) && isZero(unavailable)) err(ctx, path, 'maxSurge and maxUnavailable must not both be 0 (the rollout could never make progress)');
  };
}

const deploymentSpec = S.obj(
  {
    replicas: nonNegative,
    selector: labelSelector,
    template: podTemplate,
    strategy: S.obj(
      {
        type: S.oneOf('RollingUpdate', 'Recreate'),
        rollingUpdate: S.obj({ maxSurge: intOrPercent, maxUnavailable: intOrPercent }, { hook: rollingUpdateHook('25%', '25%') }),
      },
      {
        hook: (o, path, ctx) => {
          if (o.type === 'Recreate' && o.rollingUpdate != null) err(ctx, join(path, 'rollingUpdate'), 'may not be specified when strategy type is Recreate');
        },
      },
    ),
    minReadySeconds: nonNegative,
    revisionHistoryLimit: nonNegative,
    progressDeadlineSeconds: positive,
    paused: S.bool,
  },
  {
    required: ['selector', 'template'],
    hook: (o, path, ctx) => {
      checkSelectorMatchesTemplate(o, path, ctx, true);
      checkRestartPolicy(o, path, ctx, ['Always'], false);
      if (typeof o.progressDeadlineSeconds === 'number' && typeof o.minReadySeconds === 'number' && o.progressDeadlineSeconds <= o.minReadySeconds) {
        err(ctx, join(path, 'progressDeadlineSeconds'), 'must be greater than minReadySeconds');
      }
    },
  },
);

const replicaSetSpec = S.obj(
  { replicas: nonNegative, selector: labelSelector, template: podTemplate, minReadySeconds: nonNegative },
  {
    required: ['selector', 'template'],
    hook: (o, path, ctx) => {
      checkSelectorMatchesTemplate(o, path, ctx, true);
      checkRestartPolicy(o, path, ctx, ['Always'], false);
    },
  },
);

const daemonSetSpec = S.obj(
  {
    selector: labelSelector,
    template: podTemplate,
    updateStrategy: S.obj(
      {
        type: S.oneOf('RollingUpdate', 'OnDelete'),
        rollingUpdate: S.obj({ maxSurge: intOrPercent, maxUnavailable: intOrPercent }, { hook: rollingUpdateHook(0, 1) }),
      },
      {
        hook: (o, path, ctx) => {
          if (o.type === 'OnDelete' && o.rollingUpdate != null) err(ctx, join(path, 'rollingUpdate'), 'may not be specified when updateStrategy type is OnDelete');
        },
      },
    ),
    minReadySeconds: nonNegative,
    revisionHistoryLimit: nonNegative,
  },
  {
    required: ['selector', 'template'],
    hook: (o, path, ctx) => {
      checkSelectorMatchesTemplate(o, path, ctx, true);
      checkRestartPolicy(o, path, ctx, ['Always'], false);
    },
  },
);

const jobSpec = S.obj(
  {
    completions: nonNegative,
    parallelism: nonNegative,
    backoffLimit: nonNegative,
    activeDeadlineSeconds: positive,
    selector: labelSelector,
    template: podTemplate,
    ttlSecondsAfterFinished: nonNegative,
  },
  {
    required: ['template'],
    unsupported: set('completionMode', 'suspend', 'podFailurePolicy', 'backoffLimitPerIndex', 'maxFailedIndexes', 'manualSelector', 'podReplacementPolicy', 'successPolicy', 'managedBy'),
    hook: (o, path, ctx) => {
      checkSelectorMatchesTemplate(o, path, ctx, false);
      checkRestartPolicy(o, path, ctx, ['OnFailure', 'Never'], true);
    },
  },
);

// ---- other kinds ------------------------------------------------------------------------------

const serviceTargetPort: Schema = { ...probePort };

const serviceSpec = S.obj(
  {
    selector: labelsSchema,
    ports: S.list(
      S.obj(
        { name: S.str(dns1123LabelError), protocol: S.oneOf('TCP', 'UDP'), port, targetPort: serviceTargetPort, nodePort: S.int(30000, 32767) },
        { required: ['port'], unsupported: set('appProtocol') },
      ),
      false,
      (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'port name'),
    ),
    type: S.oneOf('ClusterIP', 'NodePort', 'LoadBalancer'),
    clusterIP: S.str((v) => (v === '' || v === 'None' || /^\d{1,3}(\.\d{1,3}){3}$/.test(v) ? undefined : 'must be "None", empty, or an IPv4 address')),
  },
  {
    unsupported: set(
      'sessionAffinity', 'sessionAffinityConfig', 'externalTrafficPolicy', 'internalTrafficPolicy', 'ipFamilies', 'ipFamilyPolicy', 'clusterIPs',
      'loadBalancerIP', 'loadBalancerSourceRanges', 'loadBalancerClass', 'externalIPs', 'publishNotReadyAddresses', 'healthCheckNodePort',
      'allocateLoadBalancerNodePorts', 'externalName', 'trafficDistribution',
    ),
    hook: (o, path, ctx) => {
      const ports = Array.isArray(o.ports) ? o.ports : [];
      if (ports.length === 0 && o.clusterIP !== 'None') err(ctx, join(path, 'ports'), 'must contain at least one port (unless clusterIP is None)');
      if (ports.length > 1) {
        ports.forEach((p, i) => {
          if (isObj(p) && (p.name == null || p.name === '')) err(ctx, `${path}.ports[${i}].name`, 'is required when the service has more than one port');
        });
      }
      const type = o.type ?? 'ClusterIP';
      if (type === 'ClusterIP') {
        ports.forEach((p, i) => {
          if (isObj(p) && p.nodePort != null) err(ctx, `${path}.ports[${i}].nodePort`, 'may not be set when type is ClusterIP');
        });
      }
    },
  },
);

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64Value: Schema = { t: 'string', rule: (v) => (BASE64_RE.test(v) ? undefined : 'must be base64-encoded (use stringData for plain text)') };
const MAX_DATA_BYTES = 1024 * 1024;

function dataSizeHook(fields: string[]) {
  return (o: Obj, path: string, ctx: Ctx) => {
    let size = 0;
    const seen = new Set<string>();
    for (const f of fields) {
      const m = o[f];
      if (!isObj(m)) continue;
      for (const [k, v] of Object.entries(m)) {
        size += k.length + (typeof v === 'string' ? v.length : 0);
        if (seen.has(k) && f !== 'stringData') err(ctx, join(join(path, f), k), `duplicate key ${JSON.stringify(k)} (also in ${fields.filter((x) => x !== f).join('/')})`);
        seen.add(k);
      }
    }
    if (size > MAX_DATA_BYTES) err(ctx, path, `data is ${size} bytes, over the limit of ${MAX_DATA_BYTES} bytes (1 MiB)`);
  };
}

const taint = S.obj(
  { key: S.nonEmpty(labelKeyError), value: S.str(labelValueError), effect: S.oneOf('NoSchedule', 'PreferNoSchedule', 'NoExecute'), timeAdded: S.str() },
  { required: ['key', 'effect'] },
);

const base = { apiVersion: S.str(), kind: S.str(), metadata };
const status = { status: S.any };

// Each kind's top-level schema. Kind-level hooks receive the whole object.
const SCHEMAS: Readonly<Record<string, ObjectSchema>> = {
  Pod: S.obj({ ...base, ...status, spec: podSpec }, { required: ['spec'] }),
  Deployment: S.obj({ ...base, ...status, spec: deploymentSpec }, { required: ['spec'] }),
  ReplicaSet: S.obj({ ...base, ...status, spec: replicaSetSpec }, { required: ['spec'] }),
  DaemonSet: S.obj({ ...base, ...status, spec: daemonSetSpec }, { required: ['spec'] }),
  Job: S.obj({ ...base, ...status, spec: jobSpec }, { required: ['spec'] }),
  Service: S.obj({ ...base, ...status, spec: serviceSpec }, { required: ['spec'] }),
  ConfigMap: S.obj(
    { ...base, data: S.map(S.str(), configKeyError), binaryData: S.map(base64Value, configKeyError) },
    { unsupported: set('immutable'), hook: dataSizeHook(['data', 'binaryData']) },
  ),
  Secret: S.obj(
    { ...base, type: S.nonEmpty(), data: S.map(base64Value, configKeyError), stringData: S.map(S.str(), configKeyError) },
    { unsupported: set('immutable'), hook: dataSizeHook(['data', 'stringData']) },
  ),
  Namespace: S.obj({ ...base, ...status, spec: S.obj({}, { unsupported: set('finalizers') }) }),
  Node: S.obj({
    ...base,
    ...status,
    spec: S.obj(
      { unschedulable: S.bool, taints: S.list(taint) },
      { unsupported: set('podCIDR', 'podCIDRs', 'providerID', 'configSource', 'externalID') },
    ),
  }),
  Event: S.obj(
    {
      ...base,
      involvedObject: S.obj(
        { kind: S.nonEmpty(), namespace: S.str(), name: S.nonEmpty(), uid: S.str(), apiVersion: S.str(), resourceVersion: S.str(), fieldPath: S.str() },
        { required: ['kind', 'name'] },
      ),
      reason: S.str(),
      message: S.str(),
      type: S.oneOf('Normal', 'Warning'),
      count: nonNegative,
      firstTimestamp: S.str(),
      lastTimestamp: S.str(),
      source: S.obj({ component: S.str(), host: S.str() }),
    },
    {
      required: ['involvedObject', 'reason', 'message', 'type'],
      unsupported: set('eventTime', 'series', 'action', 'related', 'reportingComponent', 'reportingInstance'),
    },
  ),
};

const SUPPORTED_KINDS = KINDS.map((k) => `${k.kind} (${k.apiVersion})`).join(', ');

function nameRule(kind: string): (v: string) => string | undefined {
  if (kind === 'Namespace') return dns1123LabelError;
  if (kind === 'Service') return dns1035LabelError;
  return dns1123SubdomainError;
}

export interface ValidateOptions {
  /** 'user' (default): a manifest from a user; `status` is warned about and ignored. 'system': written by Kite itself. */
  origin?: 'user' | 'system';
}

export interface ValidationResult {
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

const result = (ctx: Ctx): ValidationResult => ({ errors: ctx.errors, warnings: ctx.warnings });

/** Validates one object (raw or defaulted). Never throws; returns every problem found with its field path. */
export function validateObject(obj: unknown, opts: ValidateOptions = {}): ValidationResult {
  const ctx: Ctx = { errors: [], warnings: [], userInput: (opts.origin ?? 'user') === 'user' };
  if (!isObj(obj)) {
    err(ctx, '', 'object must be a mapping with apiVersion, kind and metadata');
    return result(ctx);
  }
  const { kind, apiVersion } = obj;
  if (typeof kind !== 'string' || kind === '') {
    err(ctx, 'kind', `is required; supported kinds: ${SUPPORTED_KINDS}`);
    return result(ctx);
  }
  const info = kindInfo(kind);
  const schema = SCHEMAS[kind];
  if (!info || !schema) {
    err(ctx, 'kind', `unknown kind ${JSON.stringify(kind)}; supported kinds: ${SUPPORTED_KINDS}`);
    return result(ctx);
  }
  if (apiVersion !== info.apiVersion) {
    err(ctx, 'apiVersion', `${apiVersion == null ? 'is required' : `${JSON.stringify(apiVersion)} is not supported`} for kind ${kind}: use ${JSON.stringify(info.apiVersion)}`);
  }
  walk(schema, obj, '', ctx);

  const md = obj.metadata;
  if (isObj(md)) {
    if (typeof md.name === 'string' && md.name !== '') {
      const m = nameRule(kind)(md.name);
      if (m) err(ctx, 'metadata.name', `invalid value ${JSON.stringify(md.name)}: ${m}`);
    }
    if (!info.namespaced && md.namespace != null && md.namespace !== '') {
      warn(ctx, 'metadata.namespace', `is ignored: ${kind} is not namespaced`);
    }
  }
  // `status: {}` is what `kubectl create --dry-run -o yaml` prints; only a real status is worth a warning.
  if (ctx.userInput && obj.status != null && !(isObj(obj.status) && Object.keys(obj.status).length === 0)) warn(ctx, 'status', 'is set by the system; the value given is ignored');
  return result(ctx);
}

// ---- whole manifest sets ----------------------------------------------------------------------

function objectKey(o: KObject): string {
  const info = kindInfo(o.kind);
  const ns = info?.namespaced ? (o.metadata.namespace || DEFAULT_NAMESPACE) : '';
  return `${o.kind}/${ns}/${o.metadata.name}`;
}

function describeDoc(d: ManifestDoc): string {
  const name = typeof d.object.metadata?.name === 'string' ? d.object.metadata.name : '?';
  return `${d.source}: document ${d.index} (${String(d.object.kind)} ${name})`;
}

const formatIssue = (prefix: string, i: FieldIssue) => (i.path ? `${prefix}: ${i.path}: ${i.message}` : `${prefix}: ${i.message}`);

/**
 * Validates a whole set of documents (possibly from several sources) as a unit: either every object is valid and
 * they are all returned, or one `invalid` is thrown whose details list every problem as
 * `deploy.yaml: document 2 (Deployment web): spec.replicas: must be a non-negative integer`.
 * Objects are returned as given (not defaulted).
 */
export function validateManifests(docs: ManifestDoc[]): { objects: KObject[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, ManifestDoc>();
  for (const d of docs) {
    const prefix = describeDoc(d);
    const r = validateObject(d.object, { origin: 'user' });
    for (const e of r.errors) errors.push(formatIssue(prefix, e));
    for (const w of r.warnings) warnings.push(formatIssue(prefix, w));
    if (r.errors.length === 0) {
      const key = objectKey(d.object);
      const first = seen.get(key);
      if (first) errors.push(`${prefix}: duplicate object: document ${first.index} of ${first.source} has the same kind, namespace and name`);
      else seen.set(key, d);
    }
  }
  if (errors.length > 0) {
    const first = errors[0] as string;
    throw invalid(errors.length > 1 ? `${first} (and ${errors.length - 1} more problems)` : first, errors);
  }
  return { objects: docs.map((d) => d.object), warnings };
}
