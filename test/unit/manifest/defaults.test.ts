import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { Deployment, DaemonSet, Job, KObject, Pod, Secret, Service } from '../../../common/api/types';
import { applyDefaults, defaultPullPolicy } from '../../../common/manifest/defaults';
import { FLUENTD_DAEMONSET, NGINX_DEPLOYMENT, PI_JOB } from './fixtures';

const load = <T>(yaml: string): T => parseYaml(yaml) as T;

function pod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 3 },
        },
      ],
    },
  };
}

describe('applyDefaults', () => {
  it('fills pod defaults: namespace, restartPolicy, grace period, pull policy, port protocol, probe timings', () => {
    const p = applyDefaults(pod());
    assert.equal(p.metadata.namespace, 'default');
    assert.equal(p.spec.restartPolicy, 'Always');
    assert.equal(p.spec.terminationGracePeriodSeconds, 30);
    const c = p.spec.containers[0]!;
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.ports?.[0]?.protocol, 'TCP');
    assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    assert.equal(c.readinessProbe?.periodSeconds, 3, 'given values are kept');
  });

  it('never mutates its input', () => {
    const input = pod();
    const before = structuredClone(input);
    applyDefaults(input);
    assert.deepEqual(input, before);
  });

  it('chooses imagePullPolicy Always only for :latest or untagged images', () => {
    assert.equal(defaultPullPolicy('nginx'), 'Always');
    assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultPullPolicy('registry.local:5000/team/app'), 'Always');
    assert.equal(defaultPullPolicy('registry.local:5000/team/app:1.2'), 'IfNotPresent');
    assert.equal(defaultPullPolicy('nginx:1.25'), 'IfNotPresent');
    assert.equal(defaultPullPolicy('nginx@sha256:abcd'), 'IfNotPresent');
  });

  it('fills Deployment defaults', () => {
    const raw = load<Deployment>(NGINX_DEPLOYMENT);
    delete raw.spec.replicas;
    delete raw.spec.strategy;
    const d = applyDefaults(raw);
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 5, 'given value kept');
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.equal(d.spec.minReadySeconds, 0);
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  });

  it('adds no rollingUpdate block to a Recreate Deployment', () => {
    const raw = load<Deployment>(NGINX_DEPLOYMENT);
    raw.spec.strategy = { type: 'Recreate' };
    assert.deepEqual(applyDefaults(raw).spec.strategy, { type: 'Recreate' });
  });

  it('fills DaemonSet defaults', () => {
    const ds = applyDefaults(load<DaemonSet>(FLUENTD_DAEMONSET));
    assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(ds.metadata.namespace, 'kube-system');
    assert.equal(ds.spec.template.spec.restartPolicy, 'Always');
  });

  it('fills Job defaults without choosing a restartPolicy, and selects the template labels', () => {
    const j = applyDefaults(load<Job>(PI_JOB));
    assert.equal(j.spec.completions, 1);
    assert.equal(j.spec.parallelism, 1);
    assert.equal(j.spec.backoffLimit, 4);
    assert.equal(j.spec.template.spec.restartPolicy, 'Never');
    assert.deepEqual(j.spec.template.metadata?.labels, { 'job-name': 'pi' });
    assert.deepEqual(j.spec.selector, { matchLabels: { 'job-name': 'pi' } });
    const noPolicy = load<Job>(PI_JOB);
    delete noPolicy.spec.template.spec.restartPolicy;
    assert.equal(applyDefaults(noPolicy).spec.template.spec.restartPolicy, undefined);
  });

  it('keeps a Job selector the user gave', () => {
    const raw = load<Job>(PI_JOB);
    raw.spec.selector = { matchLabels: { app: 'pi' } };
    raw.spec.template.metadata = { labels: { app: 'pi' } };
    const j = applyDefaults(raw);
    assert.deepEqual(j.spec.selector, { matchLabels: { app: 'pi' } });
    assert.deepEqual(j.spec.template.metadata?.labels, { app: 'pi' });
  });

  it('merges Secret stringData into base64 data, stringData winning', () => {
    const s = applyDefaults<Secret>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==', b: 'eA==' }, stringData: { b: 'hello', c: 'wörld' } });
    assert.deepEqual(s.data, { a: 'eA==', b: Buffer.from('hello').toString('base64'), c: Buffer.from('wörld').toString('base64') });
    assert.equal(s.stringData, undefined);
    assert.equal(s.type, 'Opaque');
  });

  it('defaults Service type, port protocol and targetPort', () => {
    const s = applyDefaults<Service>({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    assert.deepEqual(s.spec, { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] });
  });

  it('gives cluster-scoped kinds no namespace', () => {
    const ns = applyDefaults({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', namespace: 'x' } });
    assert.equal(ns.metadata.namespace, undefined);
  });

  it('is idempotent', () => {
    const objects: KObject[] = [
      pod(),
      load(NGINX_DEPLOYMENT),
      load(FLUENTD_DAEMONSET),
      load(PI_JOB),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } } as KObject,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } },
    ];
    for (const o of objects) {
      const once = applyDefaults(o);
      assert.deepEqual(applyDefaults(once), once, o.kind);
    }
  });
});
