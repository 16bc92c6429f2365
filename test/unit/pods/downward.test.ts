import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../common/api/types';
import { validateObject } from '../../../common/manifest/validate';
import { fieldRefValue, resourceFieldRefValue, type DownwardFacts } from '../../../node-agent/pods/downward';
import { ConfigError, prepareMounts, resolveEnv, type PodAssignment } from '../../../node-agent/pods/resolve';

const facts: DownwardFacts = { podIP: '10.244.1.7', node: { name: 'n1', hostIP: '192.168.5.2', cpuMillis: 4000, memoryBytes: 8 * 2 ** 30 } };

function pod(spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop', uid: 'abcd-1234', labels: { app: 'web', tier: 'front' }, annotations: { 'example.com/owner': 'team "a"' } },
    spec: {
      nodeName: 'n1',
      serviceAccountName: 'builder',
      containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } } }],
      ...spec,
    },
  };
}

describe('downward API', () => {
  it('answers the pod fields the kubelet answers for env', () => {
    const p = pod();
    const v = (fieldPath: string) => fieldRefValue(p, { fieldPath }, facts);
    assert.equal(v('metadata.name'), 'web-1');
    assert.equal(v('metadata.namespace'), 'shop');
    assert.equal(v('metadata.uid'), 'abcd-1234');
    assert.equal(v("metadata.labels['tier']"), 'front');
    assert.equal(v("metadata.annotations['example.com/owner']"), 'team "a"');
    assert.equal(v("metadata.labels['missing']"), '');
    assert.equal(v('spec.nodeName'), 'n1');
    assert.equal(v('spec.serviceAccountName'), 'builder');
    assert.equal(v('status.podIP'), '10.244.1.7');
    assert.equal(v('status.hostIP'), '192.168.5.2');
    // Whole maps are written as sorted key="value" lines, quotes escaped.
    assert.equal(v('metadata.labels'), 'app="web"\ntier="front"');
    assert.equal(v('metadata.annotations'), 'example.com/owner="team \\"a\\""');
  });

  it('gives a hostNetwork pod its node address as its IP, and the default account when none is named', () => {
    const p = pod({ hostNetwork: true, serviceAccountName: undefined });
    assert.equal(fieldRefValue(p, { fieldPath: 'status.podIP' }, facts), '192.168.5.2');
    assert.equal(fieldRefValue(p, { fieldPath: 'spec.serviceAccountName' }, facts), 'default');
  });

  it('divides resources by the divisor rounding up; an unset limit is the node allocatable, an unset request 0', () => {
    const p = pod();
    const c = p.spec.containers[0]!;
    const r = (resource: string, divisor?: string) => resourceFieldRefValue(p, c, { resource, ...(divisor ? { divisor } : {}) }, facts);
    assert.equal(r('requests.cpu'), '1'); // 250m rounds up to one core
    assert.equal(r('requests.cpu', '1m'), '250');
    assert.equal(r('limits.cpu'), '4'); // no limit: the node's 4 cores
    assert.equal(r('limits.memory', '1Mi'), '128');
    assert.equal(r('requests.memory'), String(64 * 2 ** 20));
    assert.equal(r('requests.ephemeral-storage'), '0');
    assert.equal(resourceFieldRefValue(p, undefined, { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' }, facts), '128');
    assert.throws(() => resourceFieldRefValue(p, undefined, { containerName: 'nope', resource: 'limits.cpu' }, facts), /no container "nope"/);
  });

  it('resolves fieldRef and resourceFieldRef env vars, and refers to them with $(VAR) later', () => {
    const p = pod();
    p.spec.containers[0]!.env = [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'URL', value: 'http://$(POD_IP):8080/$(POD_NAME)' },
    ];
    const a: PodAssignment = { pod: p, configMaps: [], secrets: [], node: () => facts.node! };
    const env = resolveEnv(a, p.spec.containers[0]!, '10.244.1.7');
    assert.equal(env.POD_NAME, 'web-1');
    assert.equal(env.POD_IP, '10.244.1.7');
    assert.equal(env.MEM_MI, '128');
    assert.equal(env.URL, 'http://10.244.1.7:8080/web-1');
  });

  it('turns an unanswerable reference into a ConfigError (CreateContainerConfigError), not a crash', () => {
    const p = pod();
    p.spec.containers[0]!.env = [{ name: 'X', valueFrom: { resourceFieldRef: { containerName: 'ghost', resource: 'limits.cpu' } } }];
    assert.throws(() => resolveEnv({ pod: p, configMaps: [], secrets: [] }, p.spec.containers[0]!), (e: unknown) => e instanceof ConfigError && /ghost/.test(e.message));
  });

  it('writes downwardAPI volume files with their modes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-downward-'));
    try {
      const p = pod({
        volumes: [
          {
            name: 'info',
            downwardAPI: {
              items: [
                { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                { path: 'sub/name', fieldRef: { fieldPath: 'metadata.name' }, mode: 0o600 },
                { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'requests.memory', divisor: '1Mi' } },
              ],
            },
          },
        ],
      });
      p.spec.containers[0]!.volumeMounts = [{ name: 'info', mountPath: '/etc/podinfo' }];
      const [m] = await prepareMounts({ pod: p, configMaps: [], secrets: [] }, p.spec.containers[0]!, dir);
      assert.equal(m!.readOnly, true);
      assert.equal(readFileSync(join(m!.hostPath, 'labels'), 'utf8'), 'app="web"\ntier="front"');
      assert.equal(readFileSync(join(m!.hostPath, 'sub/name'), 'utf8'), 'web-1');
      assert.equal(statSync(join(m!.hostPath, 'sub/name')).mode & 0o777, 0o600);
      assert.equal(statSync(join(m!.hostPath, 'labels')).mode & 0o777, 0o644);
      assert.equal(readFileSync(join(m!.hostPath, 'mem'), 'utf8'), '64');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('projects ConfigMap, Secret and downward API sources into one directory, refusing two sources writing one path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-projected-'));
    try {
      const p = pod({
        volumes: [
          {
            name: 'all',
            projected: {
              defaultMode: 0o440,
              sources: [
                { configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf' }] } },
                { secret: { name: 'creds' } },
                { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
                { serviceAccountToken: { path: 'token' } },
              ],
            },
          },
        ],
      });
      p.spec.containers[0]!.volumeMounts = [{ name: 'all', mountPath: '/etc/all' }];
      const a: PodAssignment = {
        pod: p,
        configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { 'app.conf': 'port=80' } }],
        secrets: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } }],
      };
      const secretsDir = join(dir, 'tmpfs');
      const [m] = await prepareMounts(a, p.spec.containers[0]!, join(dir, 'data'), secretsDir);
      assert.ok(m!.hostPath.startsWith(secretsDir), 'a volume holding Secret values lives on the secrets tmpfs');
      assert.equal(readFileSync(join(m!.hostPath, 'conf/app.conf'), 'utf8'), 'port=80');
      assert.equal(readFileSync(join(m!.hostPath, 'password'), 'utf8'), 's3cret');
      assert.equal(readFileSync(join(m!.hostPath, 'name'), 'utf8'), 'web-1');
      assert.equal(statSync(join(m!.hostPath, 'password')).mode & 0o777, 0o440);
      p.spec.volumes![0]!.projected!.sources!.push({ downwardAPI: { items: [{ path: 'password', fieldRef: { fieldPath: 'metadata.uid' } }] } });
      await assert.rejects(prepareMounts(a, p.spec.containers[0]!, join(dir, 'data'), secretsDir), (e: unknown) => e instanceof ConfigError && /two sources write "password"/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves service variables out when enableServiceLinks is false', () => {
    const serviceEnv = () => ({ WEB_SERVICE_HOST: '10.96.0.9', WEB_PORT: 'tcp://10.96.0.9:80' });
    const on = pod();
    const off = pod({ enableServiceLinks: false });
    assert.equal(resolveEnv({ pod: on, configMaps: [], secrets: [], serviceEnv }, on.spec.containers[0]!).WEB_SERVICE_HOST, '10.96.0.9');
    assert.deepEqual(resolveEnv({ pod: off, configMaps: [], secrets: [], serviceEnv }, off.spec.containers[0]!), {});
  });

  describe('validation', () => {
    const withEnv = (valueFrom: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', env: [{ name: 'V', valueFrom }] }] } });
    const errors = (o: unknown) => validateObject(o).errors.map((e) => `${e.path}: ${e.message}`);
    const warnings = (o: unknown) => validateObject(o).warnings.map((e) => `${e.path}: ${e.message}`);

    it('accepts the fields the kubelet answers, without warnings', () => {
      for (const fieldPath of ['metadata.name', 'status.podIP', 'status.hostIP', 'spec.nodeName', "metadata.labels['app.kubernetes.io/name']"]) {
        assert.deepEqual(errors(withEnv({ fieldRef: { fieldPath } })), [], fieldPath);
        assert.deepEqual(warnings(withEnv({ fieldRef: { fieldPath } })), [], fieldPath);
      }
      assert.deepEqual(errors(withEnv({ resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } })), []);
    });

    it('refuses unknown field paths and resources, naming the field', () => {
      assert.match(errors(withEnv({ fieldRef: { fieldPath: 'spec.containers' } })).join('\n'), /valueFrom\.fieldRef\.fieldPath: .*not a supported fieldPath/);
      assert.match(errors(withEnv({ fieldRef: { fieldPath: "metadata.labels['bad key!']" } })).join('\n'), /fieldPath: .*invalid key/);
      assert.match(errors(withEnv({ resourceFieldRef: { resource: 'limits.gpu' } })).join('\n'), /resourceFieldRef\.resource: unsupported value/);
      assert.match(errors(withEnv({ resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } })).join('\n'), /divisor: divisor must be positive/);
      assert.match(errors(withEnv({ fieldRef: { fieldPath: 'metadata.name' }, configMapKeyRef: { name: 'a', key: 'b' } })).join('\n'), /exactly one of/);
    });

    it('allows only metadata in volume files, and requires a containerName for resources there', () => {
      const withVolume = (item: unknown) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'i', downwardAPI: { items: [item] } }] },
      });
      assert.deepEqual(errors(withVolume({ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } })), []);
      assert.match(errors(withVolume({ path: 'ip', fieldRef: { fieldPath: 'status.podIP' } })).join('\n'), /not a supported fieldPath/);
      assert.match(errors(withVolume({ path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } })).join('\n'), /containerName: is required in a volume/);
      assert.match(errors(withVolume({ path: '../x', fieldRef: { fieldPath: 'metadata.name' } })).join('\n'), /relative path without/);
    });
  });
});
