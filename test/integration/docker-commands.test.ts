// kite run / expose / port-forward against a real controller on a real etcd (no agent: the
// objects made, and the errors given before anything runs).
import assert from 'node:assert/strict';
import type { Deployment, Pod, Service } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, kite, type ControllerHandle, type CliResult } from '../harness/processes';
import { requireCommand } from '../harness/require';

describe('kite run / expose / port-forward (integration: etcd + controller)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let run: (args: string[]) => Promise<CliResult>;
  const ok = (r: CliResult) => {
    assert.equal(r.code, 0, `${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const absent = async (kind: string, name: string) =>
    assert.ok(await ctl!.client.get(kind, name, 'default').then(() => false, (e: unknown) => isKiteError(e, 'NotFound')), `${kind}/${name} should not exist`);

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: '/kite-it-docker-commands', id: 'docker-commands-it' });
    run = (args) => kite(ctl!.target, args);
  });

  after(async () => {
    await ctl?.stop();
    await etcd?.stop();
  });

  it('kite run -p makes a Deployment app=NAME and a LoadBalancer Service HOST -> CONTAINER', async () => {
    const out = ok(await run(['run', 'web', '--image', 'nginx:1', '-p', '8080:80', '-e', 'MODE=prod', '--replicas', '2', '--', '-g', 'daemon off;']));
    assert.equal(out, 'deployment.apps/web created\nservice/web created\n');
    const d = await ctl!.client.get<Deployment>('Deployment', 'web', 'default');
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.selector.matchLabels, { app: 'web' });
    const c = d.spec.template.spec.containers[0]!;
    assert.deepEqual(c.args, ['-g', 'daemon off;']);
    assert.deepEqual(c.env, [{ name: 'MODE', value: 'prod' }]);
    const s = await ctl!.client.get<Service>('Service', 'web', 'default');
    assert.equal(s.spec.type, 'LoadBalancer');
    assert.deepEqual(s.spec.selector, { app: 'web' });
    assert.equal(s.spec.ports?.[0]?.port, 8080);
    assert.equal(s.spec.ports?.[0]?.targetPort, 80);
  });

  it('kite run of a name in use fails and changes nothing', async () => {
    const r = await run(['run', 'web', '--image', 'other:2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /AlreadyExists.*deployment.apps\/web already exists/);
    assert.equal((await ctl!.client.get<Deployment>('Deployment', 'web', 'default')).spec.template.spec.containers[0]!.image, 'nginx:1');
  });

  it('bad flags are clear errors, and nothing is created', async () => {
    for (const [args, pattern] of [
      [['run', 'bad1', '--image', 'x', '-p', 'eighty'], /-p eighty: must be HOST:CONTAINER/],
      [['run', 'bad2', '--image', 'x', '--rm'], /--rm should only be used for attached containers/],
      [['run', 'bad3'], /required option '--image <image>'/],
      [['run', 'bad4', '--image', 'x', '--replicas', 'two'], /--replicas two/],
    ] as const) {
      const r = await run([...args]);
      assert.notEqual(r.code, 0, r.stdout);
      assert.match(r.stderr, pattern);
      await absent('Deployment', args[1]);
      await absent('Service', args[1]);
    }
  });

  it('kite expose deployment/NAME makes a Service selecting its pods; svc/NAME copies a service', async () => {
    ok(await run(['run', 'api', '--image', 'busybox:1', '-l', 'tier=back']));
    assert.equal(ok(await run(['expose', 'deployment/api', '--port', '80', '--target-port', '8080', '--type', 'NodePort'])), 'service/api exposed\n');
    const s = await ctl!.client.get<Service>('Service', 'api', 'default');
    assert.deepEqual(s.spec.selector, { app: 'api', tier: 'back' });
    assert.equal(s.spec.type, 'NodePort');
    assert.deepEqual([s.spec.ports?.[0]?.port, s.spec.ports?.[0]?.targetPort], [80, 8080]);
    assert.ok(s.spec.ports?.[0]?.nodePort, 'a node port is allocated');

    ok(await run(['expose', 'svc/api', '--name', 'api-lb', '--type', 'LoadBalancer']));
    const copy = await ctl!.client.get<Service>('Service', 'api-lb', 'default');
    assert.deepEqual(copy.spec.selector, { app: 'api', tier: 'back' });
    assert.deepEqual([copy.spec.ports?.[0]?.port, copy.spec.ports?.[0]?.targetPort], [80, 8080]);

    const again = await run(['expose', 'deployment/api', '--port', '80']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /services "api" already exists/);
    const missing = await run(['expose', 'deployment/nope', '--port', '80']);
    assert.match(missing.stderr, /deployments "nope" not found/);
  });

  it('kite run --restart Never makes a pod; port-forward to a pod not running is a clear error', async () => {
    assert.equal(ok(await run(['run', 'once', '--image', 'busybox:1', '--restart', 'Never', '--', 'echo', 'hi'])), 'pod/once created\n');
    const p = await ctl!.client.get<Pod>('Pod', 'once', 'default');
    assert.deepEqual(p.spec.containers[0]!.args, ['echo', 'hi']);
    assert.equal(p.spec.restartPolicy, 'Never');
    const r = await run(['port-forward', 'pod/once', '18080:80']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unable to forward port because pod once is not running. Current status=Pending/);
    assert.doesNotMatch(r.stdout, /Forwarding from/);
    const svc = await run(['port-forward', 'svc/api', '18080:80']);
    assert.equal(svc.code, 1);
    assert.match(svc.stderr, /service api has no ready endpoint pod/);
  });
});
