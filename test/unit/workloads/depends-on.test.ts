import assert from 'node:assert/strict';
import type { Deployment, Job, Pod } from '../../../common/api/types';
import { TestCluster } from './harness';
import { parseDependsOn } from '../../../common/api/depends-on';

const GATE = 'kite.io/depends-on';
const SERVICE = 'com.docker.compose.service';

/** A pod of a Compose service, gated on the dependencies given (as the converter writes them). */
function gatedPod(name: string, dependsOn: unknown[] | string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { [SERVICE]: name },
      annotations: { [GATE]: typeof dependsOn === 'string' ? dependsOn : JSON.stringify(dependsOn) },
    },
    spec: { containers: [{ name: 'c', image: 'img' }], schedulingGates: [{ name: GATE }, { name: 'example.com/other' }] },
  };
}

function servicePod(name: string, service: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { [SERVICE]: service } }, spec: { containers: [{ name: 'c', image: 'img' }] } };
}

function serviceJob(service: string): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: service, namespace: 'default', labels: { [SERVICE]: service } },
    spec: {
      selector: { matchLabels: { 'job-name': service } },
      template: { metadata: { labels: { 'job-name': service, [SERVICE]: service } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'img' }] } },
    },
  };
}

describe('depends_on controller', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = new TestCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  const gates = async (name: string) => (await c.get<Pod>('Pod', name)).spec.schedulingGates?.map((g) => g.name) ?? [];
  const events = (reason: string, pod: string) => c.recorded.filter((e) => e.reason === reason && e.object === `Pod/${pod}`);

  it('service_started: releases the pod once a pod of the dependency runs, removing only its own gate', async () => {
    await c.create(gatedPod('web', [{ service: 'db', condition: 'service_started' }]));
    const db = await c.create(servicePod('db-1', 'db'));
    assert.deepEqual(await gates('web'), [GATE, 'example.com/other'], 'db is not running yet');
    assert.equal(events('WaitingForDependencies', 'web').length, 1);
    assert.match(events('WaitingForDependencies', 'web')[0]!.message, /service "db" to start/);

    await c.runPods([db], { ready: false });
    assert.deepEqual(await gates('web'), ['example.com/other'], 'a running (even unready) pod is started');
    const ready = events('DependenciesReady', 'web');
    assert.equal(ready.length, 1);
    assert.equal(ready[0]!.type, 'Normal');
    assert.match(ready[0]!.message, /db \(service_started\)/);
    assert.equal(events('WaitingForDependencies', 'web').length, 1, 'the wait was reported once');
  });

  it('service_healthy: waits for a Ready pod of the dependency, not merely a running one', async () => {
    await c.create(gatedPod('web', [{ service: 'db', condition: 'service_healthy' }]));
    const db = await c.create(servicePod('db-1', 'db'));
    await c.runPods([db], { ready: false });
    assert.deepEqual(await gates('web'), [GATE, 'example.com/other']);
    await c.runPods([await c.get<Pod>('Pod', 'db-1')], { ready: true });
    assert.deepEqual(await gates('web'), ['example.com/other']);
  });

  it('only pods of the named service in the same namespace count', async () => {
    await c.create(gatedPod('web', [{ service: 'db', condition: 'service_started' }]));
    const other = await c.create(servicePod('cache-1', 'cache'));
    const elsewhere = await c.create({ ...servicePod('db-1', 'db'), metadata: { ...servicePod('db-1', 'db').metadata, namespace: 'other' } });
    await c.runPods([other, elsewhere]);
    assert.deepEqual(await gates('web'), [GATE, 'example.com/other']);
  });

  it('service_completed_successfully: waits for the service Job to complete', async () => {
    await c.create(gatedPod('app', [{ service: 'migrate', condition: 'service_completed_successfully' }]));
    await c.create(serviceJob('migrate'));
    const [jobPod] = await c.pods((p) => p.metadata.labels?.['job-name'] === 'migrate');
    assert.ok(jobPod, 'the Job runs a pod');
    await c.runPods([jobPod]);
    assert.deepEqual(await gates('app'), [GATE, 'example.com/other'], 'running is not completed');
    await c.finishPods([await c.get<Pod>('Pod', jobPod.metadata.name)], 'Succeeded');
    assert.equal((await c.get<Job>('Job', 'migrate')).status?.conditions?.find((x) => x.type === 'Complete')?.status, 'True');
    assert.deepEqual(await gates('app'), ['example.com/other']);
  });

  it('releases a chain c <- b <- a in order, and a released pod stays released when its dependency goes unready', async () => {
    await c.create(gatedPod('a', [{ service: 'b', condition: 'service_healthy' }]));
    await c.create(gatedPod('b', [{ service: 'c', condition: 'service_healthy' }]));
    const cPod = await c.create(servicePod('c-1', 'c'));
    assert.deepEqual(await gates('b'), [GATE, 'example.com/other']);
    await c.runPods([cPod]);
    assert.deepEqual(await gates('b'), ['example.com/other'], 'c is healthy: b goes');
    assert.deepEqual(await gates('a'), [GATE, 'example.com/other'], 'b is not healthy yet');
    // Its other gate removed too, b is scheduled and becomes healthy (played here).
    await c.change<Pod>('Pod', 'b', (p) => delete p.spec.schedulingGates);
    await c.runPods([await c.get<Pod>('Pod', 'b')]);
    assert.deepEqual(await gates('a'), ['example.com/other'], 'b is healthy: a goes');

    await c.runPods([await c.get<Pod>('Pod', 'c-1')], { ready: false });
    assert.deepEqual(await gates('b'), [], 'no gate comes back');
  });

  it('waits for every dependency, naming those still missing', async () => {
    await c.create(gatedPod('web', [{ service: 'db', condition: 'service_healthy' }, { service: 'cache', condition: 'service_started' }]));
    await c.runPods([await c.create(servicePod('db-1', 'db'))]);
    assert.deepEqual(await gates('web'), [GATE, 'example.com/other']);
    const waits = events('WaitingForDependencies', 'web');
    assert.equal(waits.length, 2, 'one event per change of what it waits for');
    assert.match(waits[1]!.message, /^waiting for service "cache" to start$/);
    await c.runPods([await c.create(servicePod('cache-1', 'cache'))]);
    assert.deepEqual(await gates('web'), ['example.com/other']);
  });

  for (const [what, annotation, problem] of [
    ['not JSON', '[{service: db', /is not JSON/],
    ['an unknown condition', JSON.stringify([{ service: 'db', condition: 'service_running' }]), /condition "service_running" for service "db" is not one of service_started/],
    ['not an array', JSON.stringify({ service: 'db' }), /must be a JSON array/],
  ] as const) {
    it(`keeps the gate and warns once on an annotation that is ${what}`, async () => {
      await c.create(gatedPod('web', annotation));
      await c.runPods([await c.create(servicePod('db-1', 'db'))]);
      assert.deepEqual(await gates('web'), [GATE, 'example.com/other']);
      const warnings = events('InvalidDependencies', 'web');
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0]!.type, 'Warning');
      assert.match(warnings[0]!.message, problem);
    });
  }

  it('copies the gate from a Deployment template to its pods and releases them all', async () => {
    const deployment: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { [SERVICE]: 'web' } },
        template: {
          metadata: { labels: { [SERVICE]: 'web' }, annotations: { [GATE]: JSON.stringify([{ service: 'db', condition: 'service_healthy' }]) } },
          spec: { containers: [{ name: 'c', image: 'img' }], schedulingGates: [{ name: GATE }] },
        },
      },
    };
    await c.create(deployment);
    const web = () => c.pods((p) => p.metadata.labels?.[SERVICE] === 'web');
    assert.equal((await web()).length, 2);
    for (const p of await web()) assert.deepEqual(p.spec.schedulingGates, [{ name: GATE }]);
    await c.runPods([await c.create(servicePod('db-1', 'db'))]);
    for (const p of await web()) assert.equal(p.spec.schedulingGates, undefined, 'the last gate gone, the field goes');
    assert.equal((await web()).length, 2, 'releasing the pods does not replace them');
  });
});

describe('parseDependsOn', () => {
  it('reads the converter format and refuses a missing service or condition', () => {
    assert.deepEqual(parseDependsOn('[{"service":"db","condition":"service_healthy"}]'), { ok: true, dependencies: [{ service: 'db', condition: 'service_healthy' }] });
    assert.deepEqual(parseDependsOn('[]'), { ok: true, dependencies: [] });
    const noService = parseDependsOn('[{"condition":"service_started"}]');
    assert.ok(!noService.ok && /\[0\]\.service must be a non-empty string/.test(noService.problem));
    const noCondition = parseDependsOn('[{"service":"db"}]');
    assert.ok(!noCondition.ok && /condition null for service "db"/.test(noCondition.problem));
    const missing = parseDependsOn(undefined);
    assert.ok(!missing.ok && /is missing/.test(missing.problem));
  });
});
