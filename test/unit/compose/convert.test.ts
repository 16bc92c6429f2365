// One row per Compose key: the service as written -> what the conversion must produce.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Deployment, Job, KObject, Service, DaemonSet, PodSpec, Container, PersistentVolumeClaim, ConfigMap, Secret } from '../../../common/api/types';
import { convertProject, type ComposeProject, type ConvertOptions } from '../../../common/compose';
import { validateObject } from '../../../common/manifest';

type Obj = Record<string, unknown>;
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-convert-'));
fs.writeFileSync(path.join(DIR, 'web.env'), 'FROM_FILE=1\nOVERRIDDEN=file\n');
fs.writeFileSync(path.join(DIR, 'site.conf'), 'server {}\n');

function project(model: Obj, env: Record<string, string> = {}): ComposeProject {
  return { name: 'shop', dir: DIR, file: 'compose.yaml', model, env, warnings: [] };
}

function convert(services: Obj, top: Obj = {}, opts: ConvertOptions = {}) {
  const c = convertProject(project({ services, ...top }, { SHELL_VAR: 'from-shell', PASSWORD: 'pw' }), opts);
  // Whatever the conversion makes, Kite must accept as it is.
  for (const o of c.objects) assert.deepEqual(validateObject(o).errors, [], `${o.kind} ${o.metadata.name}`);
  return c;
}
const find = <T extends KObject>(objects: KObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
const deploymentOf = (svc: Obj, top: Obj = {}) => find<Deployment>(convert({ web: { image: 'img', ...svc } }, top).objects, 'Deployment', 'web')!;
const podOf = (svc: Obj, top: Obj = {}): PodSpec => deploymentOf(svc, top).spec.template.spec;
const containerOf = (svc: Obj, top: Obj = {}): Container => podOf(svc, top).containers[0]!;
const warningsOf = (svc: Obj, top: Obj = {}, opts: ConvertOptions = {}) => convert({ web: { image: 'img', ...svc } }, top, opts).warnings;

describe('Compose conversion: container keys', () => {
  const rows: [string, Obj, Partial<Container>][] = [
    ['entrypoint -> command, command -> args', { entrypoint: ['/bin/sh', '-c'], command: 'echo "a b" c' }, { command: ['/bin/sh', '-c'], args: ['echo', 'a b', 'c'] }],
    ['working_dir', { working_dir: '/app' }, { workingDir: '/app' }],
    ['environment (list form, value from the shell)', { environment: ['A=1', 'SHELL_VAR', 'UNSET_VAR'] }, { env: [{ name: 'A', value: '1' }, { name: 'SHELL_VAR', value: 'from-shell' }] }],
    ['environment (mapping form) over env_file', { env_file: 'web.env', environment: { OVERRIDDEN: 'env', N: 3 } }, { env: [{ name: 'FROM_FILE', value: '1' }, { name: 'OVERRIDDEN', value: 'env' }, { name: 'N', value: '3' }] }],
    ['user uid:gid', { user: '1000:2000' }, { securityContext: { runAsUser: 1000, runAsGroup: 2000 } }],
    ['cap_add/cap_drop, privileged, read_only', { cap_add: ['CAP_NET_ADMIN'], cap_drop: ['ALL'], read_only: true }, { securityContext: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, readOnlyRootFilesystem: true } }],
    ['deploy.resources', { deploy: { resources: { limits: { cpus: '0.5', memory: '512m' }, reservations: { cpus: 0.25, memory: '128m' } } } }, { resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '250m', memory: '128Mi' } } }],
    ['pull_policy', { pull_policy: 'missing' }, { imagePullPolicy: 'IfNotPresent' }],
    ['tty, stdin_open', { tty: true, stdin_open: true }, { tty: true, stdin: true }],
    ['ports and expose -> container ports', { ports: ['8080:80', '53:53/udp'], expose: ['9000'] }, { ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] }],
  ];
  for (const [name, svc, expected] of rows) {
    it(name, () => {
      const c = containerOf(svc) as unknown as Obj;
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(c[k], v, k);
    });
  }

  it('healthcheck -> readiness and liveness exec probes, start_period -> startup probe', () => {
    const c = containerOf({ healthcheck: { test: ['CMD-SHELL', 'pg_isready -U app'], interval: '10s', timeout: '3s', retries: 4, start_period: '30s', start_interval: '2s' } });
    const probe = { exec: { command: ['/bin/sh', '-c', 'pg_isready -U app'] }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 4 };
    assert.deepEqual(c.readinessProbe, probe);
    assert.deepEqual(c.livenessProbe, probe);
    assert.deepEqual(c.startupProbe, { exec: probe.exec, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 19 });
    assert.deepEqual(containerOf({ healthcheck: { test: ['CMD', 'curl', '-f', 'http://x'] } }).readinessProbe?.exec, { command: ['curl', '-f', 'http://x'] });
    assert.equal(containerOf({ healthcheck: { test: ['CMD', 'true'], disable: true } }).readinessProbe, undefined);
    assert.equal(containerOf({ healthcheck: { test: ['NONE'] } }).livenessProbe, undefined);
  });

  it('a user name is a warning; build without image is an error saying how to build and push', () => {
    assert.ok(warningsOf({ user: 'postgres' }).some((w) => w.startsWith('compose.yaml: services.web.user: "postgres" is a name')));
    assert.throws(() => convert({ web: { build: '.' } }), /services\.web\.build: Kite does not build images; build it with `docker build -t IMAGE \.`.*kite image push IMAGE.*set image:/);
    assert.ok(warningsOf({ build: '.' }).some((w) => w.includes('services.web.build: is ignored')));
  });
});

describe('Compose conversion: pod and workload keys', () => {
  it('deploy.replicas (default 1), labels on objects and pod template (invalid ones as annotations)', () => {
    assert.equal(deploymentOf({}).spec.replicas, 1);
    const d = deploymentOf({ deploy: { replicas: '3', labels: { team: 'a' } }, labels: { tier: 'front', 'long.description': 'x'.repeat(70) } });
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.metadata.labels?.team, 'a');
    assert.equal(d.spec.template.metadata?.labels?.tier, 'front');
    assert.equal(d.spec.template.metadata?.annotations?.['long.description'], 'x'.repeat(70));
    for (const [k, v] of Object.entries({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop', 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' })) {
      assert.equal(d.metadata.labels?.[k], v);
      assert.equal(d.spec.template.metadata?.labels?.[k], v);
    }
  });

  it('hostname, stop_grace_period, extra_hosts, dns_search, sysctls, group_add', () => {
    const p = podOf({ hostname: 'box', stop_grace_period: '1m30s', extra_hosts: ['a.local:10.0.0.1', 'b.local=10.0.0.1'], dns_search: ['corp'], sysctls: { 'net.ipv4.ip_unprivileged_port_start': 0 }, group_add: ['2000'] });
    assert.equal(p.hostname, 'box');
    assert.equal(p.terminationGracePeriodSeconds, 90);
    assert.deepEqual(p.hostAliases, [{ ip: '10.0.0.1', hostnames: ['a.local', 'b.local'] }]);
    assert.deepEqual(p.dnsConfig, { searches: ['corp'] });
    assert.deepEqual(p.securityContext, { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], supplementalGroups: [2000] });
  });

  it('placement constraints -> nodeSelector and NotIn node affinity', () => {
    const p = podOf({ deploy: { placement: { constraints: ['node.labels.zone == a', 'node.hostname == n1', 'node.labels.disk != hdd', 'node.role == manager'] } } });
    assert.deepEqual(p.nodeSelector, { zone: 'a', 'kubernetes.io/hostname': 'n1' });
    assert.deepEqual(p.affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }] }] } } });
    assert.ok(warningsOf({ deploy: { placement: { constraints: ['node.role == manager'] } } }).some((w) => w.includes('deploy.placement.constraints[0]: "node.role"')));
  });

  it('deploy.update_config -> rolling update strategy', () => {
    assert.deepEqual(deploymentOf({ deploy: { update_config: { parallelism: 2, order: 'start-first' } } }).spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } });
    assert.deepEqual(deploymentOf({ deploy: { update_config: { order: 'stop-first' } } }).spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  });

  it('restart on a long-running service: always is silent, no/on-failure warn', () => {
    assert.ok(!warningsOf({ restart: 'always' }).some((w) => w.includes('.restart')));
    assert.ok(warningsOf({ restart: 'on-failure:3' }).some((w) => w.includes('services.web.restart: a long-running service becomes a Deployment')));
    assert.throws(() => convert({ web: { image: 'i', restart: 'sometimes' } }), /services\.web\.restart: "sometimes"/);
  });

  it('deploy.mode global -> DaemonSet', () => {
    const c = convert({ agent: { image: 'i', deploy: { mode: 'global' } } });
    assert.ok(find<DaemonSet>(c.objects, 'DaemonSet', 'agent'));
  });

  it('depends_on -> the gate and annotation; a service_completed_successfully dependency -> a Job', () => {
    const c = convert({
      web: { image: 'w', depends_on: { db: { condition: 'service_healthy' }, migrate: { condition: 'service_completed_successfully' } } },
      db: { image: 'd' },
      migrate: { image: 'm', restart: 'no' },
    });
    const web = find<Deployment>(c.objects, 'Deployment', 'web')!;
    assert.deepEqual((web.spec.template.spec as PodSpec & { schedulingGates?: unknown }).schedulingGates, [{ name: 'kite.io/depends-on' }]);
    assert.deepEqual(JSON.parse(web.spec.template.metadata!.annotations!['kite.io/depends-on']!), [
      { service: 'db', condition: 'service_healthy' },
      { service: 'migrate', condition: 'service_completed_successfully' },
    ]);
    const db = find<Deployment>(c.objects, 'Deployment', 'db')!;
    assert.equal((db.spec.template.spec as PodSpec & { schedulingGates?: unknown }).schedulingGates, undefined);
    const job = find<Job>(c.objects, 'Job', 'migrate')!;
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    assert.equal(job.spec.backoffLimit, 0);
    assert.equal(job.metadata.labels?.['com.docker.compose.service'], 'migrate');
    assert.equal(find(c.objects, 'Deployment', 'migrate'), undefined);
    assert.throws(() => convert({ a: { image: 'i', depends_on: ['b'] }, b: { image: 'i', depends_on: ['a'] } }), /depends_on cycle: a -> b -> a/);
  });
});

describe('Compose conversion: Services', () => {
  it('a ClusterIP Service named as the service (expose + ports targets) and <service>-published LoadBalancer for ports', () => {
    const c = convert({ web: { image: 'i', ports: ['8080:80', '127.0.0.1:5353:53/udp'], expose: ['9000'] } });
    const cluster = find<Service>(c.objects, 'Service', 'web')!;
    assert.equal(cluster.spec.type, 'ClusterIP');
    assert.deepEqual(cluster.spec.ports?.map((p) => `${p.port}/${p.protocol}`), ['9000/TCP', '80/TCP', '53/UDP']);
    assert.deepEqual(cluster.spec.selector, { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' });
    const lb = find<Service>(c.objects, 'Service', 'web-published')!;
    assert.equal(lb.spec.type, 'LoadBalancer');
    assert.deepEqual(lb.spec.ports, [
      { name: 'tcp-8080', protocol: 'TCP', port: 8080, targetPort: 80 },
      { name: 'udp-5353', protocol: 'UDP', port: 5353, targetPort: 53 },
    ]);
    assert.ok(c.warnings.some((w) => w.includes('host_ip 127.0.0.1 is ignored')));
  });

  it('a service without ports still gets its name (a headless Service); aliases get Services too', () => {
    const c = convert({ db: { image: 'i', networks: { default: { aliases: ['database'] } } } });
    assert.equal(find<Service>(c.objects, 'Service', 'db')!.spec.clusterIP, 'None');
    assert.ok(find<Service>(c.objects, 'Service', 'database'));
    assert.equal(find(c.objects, 'Service', 'db-published'), undefined);
  });

  it('several declared networks are one, with a warning', () => {
    assert.ok(warningsOf({}, { networks: { front: {}, back: {} } }).some((w) => w.includes('networks: Kite has one flat pod network')));
  });
});

describe('Compose conversion: storage', () => {
  it('bind -> hostPath (warned), named -> claim, anonymous -> emptyDir, tmpfs -> memory emptyDir', () => {
    const c = convert({ web: { image: 'i', volumes: ['./html:/html:ro', 'data:/data', '/cache', { type: 'tmpfs', target: '/tmp', tmpfs: { size: '64m' } }], tmpfs: ['/run'] } }, { volumes: { data: {} } });
    const pod = find<Deployment>(c.objects, 'Deployment', 'web')!.spec.template.spec;
    assert.deepEqual(pod.volumes, [
      { name: 'bind-0', hostPath: { path: path.join(DIR, 'html') } },
      { name: 'volume-data', persistentVolumeClaim: { claimName: 'data' } },
      { name: 'anonymous-2', emptyDir: {} },
      { name: 'tmpfs-3', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'tmpfs-s0', emptyDir: { medium: 'Memory' } },
    ]);
    assert.deepEqual(pod.containers[0]!.volumeMounts?.[0], { name: 'bind-0', mountPath: '/html', readOnly: true });
    assert.ok(c.warnings.some((w) => w.includes('services.web.volumes[0]: bind mount') && w.includes('each node has its own')));
    const pvc = find<PersistentVolumeClaim>(c.objects, 'PersistentVolumeClaim', 'data')!;
    assert.deepEqual(pvc.spec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    assert.equal(pvc.spec.storageClassName, undefined, 'the default StorageClass');
  });

  it('named volumes become emptyDir with a warning when there is no default StorageClass', () => {
    const c = convert({ web: { image: 'i', volumes: ['data:/data'] } }, { volumes: { data: {} } }, { defaultStorageClass: false });
    assert.equal(find(c.objects, 'PersistentVolumeClaim', 'data'), undefined);
    assert.deepEqual(find<Deployment>(c.objects, 'Deployment', 'web')!.spec.template.spec.volumes, [{ name: 'volume-data', emptyDir: {} }]);
    assert.ok(c.warnings.some((w) => w.includes('no default StorageClass')));
  });

  it('configs (file/content) -> ConfigMaps at /<name> or target; secrets (environment) -> Secrets at /run/secrets/<name>', () => {
    const c = convert(
      { web: { image: 'i', configs: ['site', { source: 'inline', target: '/etc/app.conf', mode: '0440' }], secrets: ['password'] } },
      { configs: { site: { file: './site.conf' }, inline: { content: 'a=1' } }, secrets: { password: { environment: 'PASSWORD' } } },
    );
    assert.deepEqual(find<ConfigMap>(c.objects, 'ConfigMap', 'site')!.data, { site: 'server {}\n' });
    assert.deepEqual(find<ConfigMap>(c.objects, 'ConfigMap', 'inline')!.data, { inline: 'a=1' });
    assert.deepEqual(find<Secret>(c.objects, 'Secret', 'password')!.data, { password: Buffer.from('pw').toString('base64') });
    const pod = find<Deployment>(c.objects, 'Deployment', 'web')!.spec.template.spec;
    assert.deepEqual(pod.containers[0]!.volumeMounts, [
      { name: 'config-0', mountPath: '/site', subPath: 'file', readOnly: true },
      { name: 'config-1', mountPath: '/etc/app.conf', subPath: 'file', readOnly: true },
      { name: 'secret-0', mountPath: '/run/secrets/password', subPath: 'file', readOnly: true },
    ]);
    assert.deepEqual(pod.volumes?.[1], { name: 'config-1', configMap: { name: 'inline', items: [{ key: 'inline', path: 'file', mode: 0o440 }] } });
  });
});

describe('Compose conversion: project', () => {
  it('the namespace comes first, named after the project (_ -> -); every object is in it', () => {
    const c = convertProject(project({ services: { web: { image: 'i' } } }), {});
    assert.equal(c.objects[0]!.kind, 'Namespace');
    const c2 = convertProject({ ...project({ services: { web: { image: 'i' } } }), name: 'my_app' });
    assert.equal(c2.namespace, 'my-app');
    assert.ok(c2.objects.slice(1).every((o) => o.metadata.namespace === 'my-app'));
  });

  it('profiles: only services without one or with an active profile', () => {
    const services = { web: { image: 'i' }, debug: { image: 'i', profiles: ['debug'] } };
    assert.equal(find(convert(services).objects, 'Deployment', 'debug'), undefined);
    assert.ok(find(convert(services, {}, { profiles: ['debug'] }).objects, 'Deployment', 'debug'));
  });

  it('keys Kite cannot honour are warnings naming them', () => {
    const w = warningsOf({ container_name: 'x', ulimits: { nofile: 1024 }, deploy: { endpoint_mode: 'dnsrr' } });
    assert.ok(w.some((x) => x.startsWith('compose.yaml: services.web.container_name: is ignored')));
    assert.ok(w.some((x) => x.startsWith('compose.yaml: services.web.ulimits: is not supported by Kite')));
    assert.ok(w.some((x) => x.startsWith('compose.yaml: services.web.deploy.endpoint_mode:')));
  });

  it('service names become DNS labels; two that collide are an error', () => {
    const c = convert({ my_db: { image: 'i' } });
    assert.ok(find(c.objects, 'Deployment', 'my-db'));
    assert.throws(() => convert({ my_db: { image: 'i' }, 'my-db': { image: 'i' } }), /becomes the Kubernetes name "my-db"/);
  });
});
