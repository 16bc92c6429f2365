import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { KObject } from '../../../common/api/types';
import { isKiteError, type KiteError } from '../../../common/errors';
import { applyDefaults } from '../../../common/manifest/defaults';
import { parseManifests } from '../../../common/manifest/parse';
import { validateManifests, validateObject } from '../../../common/manifest/validate';
import { FLUENTD_DAEMONSET, NGINX_DEPLOYMENT, PI_JOB, SERVICE_AND_CONFIG } from './fixtures';

type Json = Record<string, any>; // test fixtures are edited freely

const load = (yaml: string): Json => parseYaml(yaml) as Json;
const clone = <T>(v: T): T => structuredClone(v);

function deployment(): Json {
  return load(NGINX_DEPLOYMENT);
}
function pod(spec: Json = {}): Json {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec } };
}

/** Errors as "path: message" strings, for readable assertions. */
function errorsOf(obj: unknown): string[] {
  return validateObject(obj).errors.map((e) => `${e.path}: ${e.message}`);
}
function warningsOf(obj: unknown): string[] {
  return validateObject(obj).warnings.map((e) => `${e.path}: ${e.message}`);
}
function assertError(obj: unknown, path: string, message: RegExp): void {
  const errs = validateObject(obj).errors;
  assert.ok(
    errs.some((e) => e.path === path && message.test(e.message)),
    `expected an error at ${path} matching ${message}; got:\n  ${errs.map((e) => `${e.path}: ${e.message}`).join('\n  ')}`,
  );
}
const cont = 'spec.template.spec.containers[0]';

describe('validateObject', () => {
  describe('real-world manifests', () => {
    it('accepts an nginx Deployment with resources, probes, env, ports and strategy', () => {
      assert.deepEqual(validateObject(deployment()), { errors: [], warnings: [] });
    });
    it('accepts the fluentd DaemonSet from the Kubernetes docs', () => {
      assert.deepEqual(validateObject(load(FLUENTD_DAEMONSET)), { errors: [], warnings: [] });
    });
    it('accepts a Job, a Service, a ConfigMap, a Secret and a Namespace', () => {
      assert.deepEqual(errorsOf(load(PI_JOB)), []);
      for (const d of parseManifests(SERVICE_AND_CONFIG, 's.yaml')) assert.deepEqual(errorsOf(d.object), [], d.object.kind);
    });
    it('accepts every fixture after defaulting too', () => {
      const objects = [deployment(), load(FLUENTD_DAEMONSET), load(PI_JOB), ...parseManifests(SERVICE_AND_CONFIG, 's.yaml').map((d) => d.object)];
      for (const o of objects) assert.deepEqual(validateObject(applyDefaults(o as KObject)), { errors: [], warnings: [] }, o.kind);
    });
  });

  describe('kinds and versions', () => {
    it('rejects an unknown kind, listing the supported kinds', () => {
      assertError({ apiVersion: 'v1', kind: 'Ingress', metadata: { name: 'x' } }, 'kind', /unknown kind "Ingress"; supported kinds: Pod \(v1\), Deployment \(apps\/v1\)/);
    });
    it('rejects the wrong apiVersion for a kind, naming the right one', () => {
      const d = deployment();
      d.apiVersion = 'v1';
      assertError(d, 'apiVersion', /"v1" is not supported for kind Deployment: use "apps\/v1"/);
    });
    it('validates system-written kinds', () => {
      const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } } };
      assert.deepEqual(validateObject(node, { origin: 'system' }), { errors: [], warnings: [] });
      assertError({ ...node, spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } }, 'spec.taints[0].effect', /must be one of/);
      const event = {
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.17a', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web' },
        reason: 'Pulled', message: 'pulled', type: 'Normal', count: 1, firstTimestamp: 't', lastTimestamp: 't', source: { component: 'kite-agent' },
      };
      assert.deepEqual(errorsOf(event), []);
      assertError({ ...event, type: 'Info' }, 'type', /must be one of "Normal", "Warning"/);
      const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc' }, spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: pod().spec } } };
      assert.deepEqual(errorsOf(rs), []);
    });
  });

  describe('names and labels', () => {
    it('requires DNS-1123 subdomain names', () => {
      const d = deployment();
      d.metadata.name = 'Web_App';
      assertError(d, 'metadata.name', /DNS-1123 subdomain/);
      d.metadata.name = 'a'.repeat(254);
      assertError(d, 'metadata.name', /253 characters/);
      d.metadata.name = 'web.v2';
      assert.deepEqual(errorsOf(d), []);
    });
    it('requires DNS-1123 label namespaces, and labels for Namespace names', () => {
      const d = deployment();
      d.metadata.namespace = 'my.ns';
      assertError(d, 'metadata.namespace', /DNS-1123 label/);
      assertError({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, 'metadata.name', /DNS-1123 label/);
    });
    it('checks label keys and values as Kubernetes does', () => {
      const d = deployment();
      d.metadata.labels = { 'bad key': 'x', 'example.com/ok': 'v', ok: '-bad-' };
      assertError(d, 'metadata.labels["bad key"]', /invalid key/);
      assertError(d, 'metadata.labels.ok', /starting and ending with a letter or digit/);
      d.metadata.labels = { a: 'x'.repeat(64) };
      assertError(d, 'metadata.labels.a', /63 characters/);
    });
    it('requires label values to be strings (unquoted numbers are a classic mistake)', () => {
      const d = deployment();
      d.spec.template.metadata.labels.version = 1.25;
      assertError(d, 'spec.template.metadata.labels.version', /must be a string, got number 1.25/);
    });
  });

  describe('finalizers and deletion grace', () => {
    it('accepts qualified finalizer names and a non-negative deletionGracePeriodSeconds, without warnings', () => {
      const d = deployment();
      d.metadata.finalizers = ['example.com/cleanup', 'foregroundDeletion'];
      d.metadata.deletionGracePeriodSeconds = 0;
      assert.deepEqual(errorsOf(d), []);
      assert.deepEqual(warningsOf(d), []);
    });
    it('rejects finalizers that are not qualified names, and a negative grace period', () => {
      const d = deployment();
      d.metadata.finalizers = ['ok', 'bad name', ''];
      d.metadata.deletionGracePeriodSeconds = -1;
      assertError(d, 'metadata.finalizers[1]', /invalid value "bad name"/);
      assertError(d, 'metadata.finalizers[2]', /must not be empty/);
      assertError(d, 'metadata.deletionGracePeriodSeconds', /non-negative integer/);
      d.metadata.finalizers = 'x';
      assertError(d, 'metadata.finalizers', /must be a list/);
    });
  });

  describe('containers', () => {
    it('requires DNS-1123 label container names, unique within the pod', () => {
      assertError(pod({ containers: [{ name: 'Web', image: 'x' }] }), 'spec.containers[0].name', /DNS-1123 label/);
      assertError(pod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }), 'spec.containers[1].name', /duplicate container name "a"/);
    });
    it('requires at least one container, and an image for each', () => {
      assertError(pod({ containers: [] }), 'spec.containers', /at least one/);
      assertError(pod({ containers: [{ name: 'a' }] }), 'spec.containers[0].image', /is required/);
    });
    it('checks port ranges, protocols and names', () => {
      const d = deployment();
      d.spec.template.spec.containers[0].ports = [{ containerPort: 70000 }, { containerPort: 53, protocol: 'SCTP' }, { name: 'Http_Port', containerPort: 8080 }];
      assertError(d, `${cont}.ports[0].containerPort`, /between 1 and 65535/);
      assertError(d, `${cont}.ports[1].protocol`, /"TCP", "UDP"/);
      assertError(d, `${cont}.ports[2].name`, /invalid value "Http_Port"/);
    });
    it('checks that quantities parse and limits are not below requests', () => {
      const d = deployment();
      d.spec.template.spec.containers[0].resources = { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '500m', memory: '12XB' } };
      assertError(d, `${cont}.resources.limits.memory`, /invalid memory quantity "12XB"/);
      assertError(d, `${cont}.resources.requests.cpu`, /less than or equal to the cpu limit \(500m\)/);
    });
    it('requires probes to have exactly one handler, and sane timings', () => {
      const d = deployment();
      const c = d.spec.template.spec.containers[0];
      c.livenessProbe = { httpGet: { port: 80 }, exec: { command: ['true'] } };
      c.readinessProbe = { periodSeconds: 0, tcpSocket: { port: 'nope' } };
      c.startupProbe = { periodSeconds: 5 };
      assertError(d, `${cont}.livenessProbe`, /exactly one handler.*got 2/);
      assertError(d, `${cont}.readinessProbe.periodSeconds`, /positive integer/);
      assertError(d, `${cont}.readinessProbe.tcpSocket.port`, /no container port named "nope"/);
      assertError(d, `${cont}.startupProbe`, /exactly one handler.*got 0/);
    });
    it('accepts grpc probes with a numeric port and checks them', () => {
      const d = deployment();
      const c = d.spec.template.spec.containers[0];
      c.livenessProbe = { grpc: { port: 9000, service: 'kite.Health' } };
      assert.deepEqual(validateObject(d).errors, []);
      c.livenessProbe = { grpc: { port: 'grpc' } };
      c.readinessProbe = { grpc: { port: 70000 } };
      c.startupProbe = { grpc: { service: 7 } };
      assertError(d, `${cont}.livenessProbe.grpc.port`, /integer between 1 and 65535, got string "grpc"/);
      assertError(d, `${cont}.readinessProbe.grpc.port`, /integer between 1 and 65535, got number 70000/);
      assertError(d, `${cont}.startupProbe.grpc.port`, /is required/);
      assertError(d, `${cont}.startupProbe.grpc.service`, /must be a string/);
    });
    it('checks env names, and that value and valueFrom are exclusive', () => {
      const d = deployment();
      d.spec.template.spec.containers[0].env = [
        { name: '1BAD', value: 'x' },
        { name: 'BOTH', value: 'x', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } },
        { name: 'PORT', value: 8080 },
        { name: 'NONE', valueFrom: {} },
      ];
      assertError(d, `${cont}.env[0].name`, /must not start with a digit/);
      assertError(d, `${cont}.env[1]`, /value and valueFrom are mutually exclusive/);
      assertError(d, `${cont}.env[2].value`, /must be a string, got number 8080/);
      assertError(d, `${cont}.env[3].valueFrom`, /exactly one of configMapKeyRef, secretKeyRef/);
    });
    it('requires every volumeMount to refer to a declared volume, and each volume to have exactly one source', () => {
      const d = deployment();
      d.spec.template.spec.containers[0].volumeMounts.push({ name: 'data', mountPath: '/data' });
      d.spec.template.spec.volumes.push({ name: 'two', emptyDir: {}, hostPath: { path: '/x' } }, { name: 'zero' });
      assertError(d, `${cont}.volumeMounts[2].name`, /volume "data" is not declared/);
      assertError(d, 'spec.template.spec.volumes[2]', /exactly one volume source.*got 2/);
      assertError(d, 'spec.template.spec.volumes[3]', /exactly one volume source.*got 0/);
    });
  });

  describe('workloads', () => {
    it('requires non-negative integer replicas', () => {
      for (const bad of [-1, 1.5, '3']) {
        const d = deployment();
        d.spec.replicas = bad;
        assertError(d, 'spec.replicas', /must be a non-negative integer/);
      }
    });
    it('requires the selector to match the template labels', () => {
      const d = deployment();
      d.spec.selector.matchLabels = { app: 'other' };
      assertError(d, 'spec.template.metadata.labels', /must match the selector/);
      const ds = load(FLUENTD_DAEMONSET);
      delete ds.spec.selector;
      assertError(ds, 'spec.selector', /is required/);
    });
    it('enforces restartPolicy per kind', () => {
      const d = deployment();
      d.spec.template.spec.restartPolicy = 'Never';
      assertError(d, 'spec.template.spec.restartPolicy', /must be Always/);
      const j = load(PI_JOB);
      j.spec.template.spec.restartPolicy = 'Always';
      assertError(j, 'spec.template.spec.restartPolicy', /must be OnFailure or Never/);
      delete j.spec.template.spec.restartPolicy;
      assertError(j, 'spec.template.spec.restartPolicy', /is required/);
    });
    it('checks Job counts and an explicit selector', () => {
      const j = load(PI_JOB);
      Object.assign(j.spec, { parallelism: -1, completions: 'all', backoffLimit: 2.5, selector: { matchLabels: { a: 'b' } } });
      assertError(j, 'spec.parallelism', /non-negative integer/);
      assertError(j, 'spec.completions', /non-negative integer/);
      assertError(j, 'spec.backoffLimit', /non-negative integer/);
      assertError(j, 'spec.template.metadata.labels', /must match the selector/);
    });
    it('rejects maxSurge and maxUnavailable both 0, and malformed values', () => {
      const d = deployment();
      d.spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: '0%' };
      assertError(d, 'spec.strategy.rollingUpdate', /must not both be 0/);
      d.spec.strategy.rollingUpdate = { maxSurge: '1', maxUnavailable: '150%' };
      assertError(d, 'spec.strategy.rollingUpdate.maxSurge', /percentage such as "25%"/);
      assertError(d, 'spec.strategy.rollingUpdate.maxUnavailable', /greater than 100%/);
    });
    it('checks toleration and node affinity operators', () => {
      const p = pod({
        tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }, { operator: 'Equal', value: 'v' }, { key: 'b', operator: 'Matches' }, { key: 'c', value: 'v', effect: 'NoSchedule', tolerationSeconds: 5 }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Near', values: ['x'] }, { key: 'n', operator: 'Gt', values: ['x'] }, { key: 'z', operator: 'In' }] }] } } },
      });
      assertError(p, 'spec.tolerations[0].value', /must be empty when operator is Exists/);
      assertError(p, 'spec.tolerations[1].operator', /must be Exists when key is empty/);
      assertError(p, 'spec.tolerations[2].operator', /"Exists", "Equal"/);
      assertError(p, 'spec.tolerations[3].effect', /NoExecute when tolerationSeconds/);
      const expr = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions';
      assertError(p, `${expr}[0].operator`, /"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"/);
      assertError(p, `${expr}[1].values`, /single integer/);
      assertError(p, `${expr}[2].values`, /at least one value/);
    });
  });

  describe('config and secrets', () => {
    it('requires Secret data to be base64', () => {
      const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'not base64!' } };
      assertError(s, 'data.token', /base64/);
    });
    it('requires valid ConfigMap keys and string values', () => {
      const c = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'bad key': 'x', port: 8080 } };
      assertError(c, 'data["bad key"]', /invalid key/);
      assertError(c, 'data.port', /must be a string/);
    });
  });

  describe('fields outside Kite\'s subset', () => {
    it('warns about real Kubernetes fields Kite ignores, saying why each has no effect', () => {
      const d = deployment();
      const spec = d.spec.template.spec;
      Object.assign(spec, { priorityClassName: 'high', hostUsers: false, runtimeClassName: 'gvisor' });
      spec.containers[0].resources.limits['ephemeral-storage'] = '1Gi';
      spec.containers[0].resources.limits['nvidia.com/gpu'] = 1;
      spec.containers[0].terminationMessagePolicy = 'FallbackToLogsOnError';
      assert.deepEqual(errorsOf(d), []);
      const warnings = warningsOf(d);
      const expected: Record<string, RegExp> = {
        'spec.template.spec.priorityClassName': /has no effect in Kite: Kite does not preempt/,
        'spec.template.spec.hostUsers': /has no effect in Kite: containers run without a user namespace/,
        'spec.template.spec.runtimeClassName': /has no effect in Kite: .*default runtime/,
        [`${cont}.terminationMessagePolicy`]: /has no effect in Kite: .*end of its log/,
        [`${cont}.resources.limits.ephemeral-storage`]: /has no effect in Kite: extended and other resources/,
        [`${cont}.resources.limits["nvidia.com/gpu"]`]: /has no effect in Kite: extended and other resources/,
      };
      for (const [path, message] of Object.entries(expected)) {
        const w = warnings.find((x) => x.startsWith(`${path}: `));
        assert.ok(w, `no warning for ${path}:\n${warnings.join('\n')}`);
        assert.match(w, message);
      }
      assert.equal(warnings.length, Object.keys(expected).length, warnings.join('\n'));
    });
    it('gives no warning for the fields Kite implements', () => {
      const d = deployment();
      const spec = d.spec.template.spec;
      Object.assign(spec, {
        dnsPolicy: 'ClusterFirst',
        enableServiceLinks: false,
        hostAliases: [{ ip: '10.0.0.9', hostnames: ['db.local'] }],
        securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, supplementalGroups: [5], runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      });
      spec.containers[0].env = [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }];
      spec.containers[0].securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
      spec.volumes.push({ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } });
      assert.deepEqual(errorsOf(d), []);
      assert.deepEqual(warningsOf(d), []);
    });
    it('rejects any other unknown field, suggesting a near name', () => {
      const d = deployment();
      d.spec.replica = 3;
      d.spec.template.spec.containers[0].foo = 1;
      assertError(d, 'spec', /unknown field "replica" \(did you mean "replicas"\?\)/);
      assertError(d, cont, /^unknown field "foo"$/);
    });
    it('ignores managedFields and selfLink, and warns that user-supplied status is ignored', () => {
      const d = deployment();
      d.metadata.managedFields = [{ manager: 'kubectl' }];
      d.metadata.selfLink = '/apis/x';
      d.status = { replicas: 3 };
      assert.deepEqual(errorsOf(d), []);
      assert.deepEqual(warningsOf(d), ['status: is set by the system; the value given is ignored']);
      assert.deepEqual(validateObject(d, { origin: 'system' }).warnings, []);
    });
  });

  it('accepts what `kubectl create deployment --dry-run=client -o yaml` prints, without warnings', () => {
    const generated = load(`
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`);
    assert.deepEqual(validateObject(generated), { errors: [], warnings: [] });
  });

  it('accepts ClientIP session affinity with a timeout, and refuses an unknown affinity or a timeout out of range', () => {
    const svc = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } });
    assert.deepEqual(validateObject(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })), { errors: [], warnings: [] });
    assert.deepEqual(validateObject(svc({ sessionAffinity: 'Sticky' })).errors.map((e) => e.path), ['spec.sessionAffinity']);
    assert.deepEqual(validateObject(svc({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } })).errors.map((e) => e.path), ['spec.sessionAffinityConfig.clientIP.timeoutSeconds']);
  });

  it('treats null fields as absent, as Kubernetes does', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].env = null;
    d.spec.template.spec.containers[0].resources = null;
    assert.deepEqual(errorsOf(d), []);
  });

  it('never throws on garbage', () => {
    for (const g of [null, 3, 'x', [], { kind: 'Pod' }, { apiVersion: 'v1', kind: 'Pod', metadata: 5, spec: [] }]) {
      assert.ok(validateObject(g).errors.length > 0);
    }
  });

  // Speed is measured by `npm run bench:api`, not asserted here.
  it('validates 1,000 Deployments independently (no state carried between calls)', () => {
    const base = deployment();
    const objects = Array.from({ length: 1000 }, (_, i) => ({ ...clone(base), metadata: { ...base.metadata, name: `web-${i}` } }));
    (objects[500] as unknown as { spec: { replicas: number } }).spec.replicas = -1;
    const failing = objects.map((o, i) => (validateObject(o).errors.length ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(failing, [500]);
  });
});

describe('validateManifests', () => {
  function manifestError(fn: () => unknown): KiteError {
    try {
      fn();
    } catch (e) {
      assert.ok(isKiteError(e, 'Invalid'));
      return e;
    }
    assert.fail('expected an Invalid error');
  }

  it('returns every object and the warnings, prefixed with source, document, kind and name', () => {
    const docs = parseManifests(`${SERVICE_AND_CONFIG}---\n${NGINX_DEPLOYMENT.replace('terminationGracePeriodSeconds: 60', 'terminationGracePeriodSeconds: 60\n      priorityClassName: high')}`, 'web.yaml');
    const { objects, warnings } = validateManifests(docs);
    assert.deepEqual(objects.map((o) => o.kind), ['Service', 'ConfigMap', 'Secret', 'Namespace', 'Deployment']);
    assert.deepEqual(warnings, ['web.yaml: document 5 (Deployment nginx): spec.template.spec.priorityClassName: has no effect in Kite: Kite does not preempt: pods are scheduled in arrival order whatever their priority']);
  });

  it('reports every problem in every document in one error, and nothing partial', () => {
    const bad = NGINX_DEPLOYMENT.replace('replicas: 3', 'replicas: -1');
    const docs = parseManifests(`${SERVICE_AND_CONFIG}---\n${bad}---\n${PI_JOB.replace('backoffLimit: 4', 'backoffLimit: x')}`, 'deploy.yaml');
    const e = manifestError(() => validateManifests(docs));
    assert.deepEqual(e.details, [
      'deploy.yaml: document 5 (Deployment nginx): spec.replicas: must be a non-negative integer, got number -1',
      'deploy.yaml: document 6 (Job pi): spec.backoffLimit: must be a non-negative integer, got string "x"',
    ]);
    assert.equal(e.message, `${e.details[0]} (and 1 more problems)`);
  });

  it('rejects two documents with the same kind, namespace and name', () => {
    const one = parseManifests(NGINX_DEPLOYMENT, 'a.yaml');
    const two = parseManifests(NGINX_DEPLOYMENT, 'b.yaml');
    const e = manifestError(() => validateManifests([...one, ...two]));
    assert.deepEqual(e.details, ['b.yaml: document 1 (Deployment nginx): duplicate object: document 1 of a.yaml has the same kind, namespace and name']);
  });

  it('treats an absent namespace as "default" when looking for duplicates', () => {
    const cm = (ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${ns}`;
    const docs = parseManifests(`${cm('')}---\n${cm('  namespace: default\n')}`, 'c.yaml');
    assert.match(manifestError(() => validateManifests(docs)).message, /document 2 \(ConfigMap c\): duplicate object/);
    const ok = parseManifests(`${cm('')}---\n${cm('  namespace: other\n')}`, 'c.yaml');
    assert.equal(validateManifests(ok).objects.length, 2);
  });
});
