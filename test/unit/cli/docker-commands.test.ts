// kite run / expose / port-forward / cp: flag parsing, the objects made, and tar's path safety.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Deployment, Endpoints, Pod, Service } from '../../../common/api/types';
import { isKiteError } from '../../../common/errors';
import { buildRunPlan, KEEPALIVE_COMMAND, parsePort } from '../../../cli/docker/run-objects';
import { buildExposedService } from '../../../cli/docker/expose-service';
import { parsePortPair, pickDeploymentPod, pickEndpointPod, requireRunning, serviceTargetPort } from '../../../cli/docker/forward-target';
import { entryDestination, packPath, tarHeader, TarUnpacker } from '../../../cli/docker/tar';
import { parseCpArg } from '../../../cli/commands/cp';
import { podAddress } from '../../../node-agent/port-forward';

const invalidError = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => isKiteError(e, 'Invalid') && pattern.test(e.message));

describe('kite run: objects from flags', () => {
  it('makes a Deployment labelled app=NAME and, with -p, a LoadBalancer Service HOST -> CONTAINER', () => {
    const plan = buildRunPlan('web', 'ns1', { image: 'nginx', port: ['8080:80', '9090'], env: ['A=1', 'B=x=y'], replicas: '3', labels: ['tier=front'] }, ['--flag']);
    assert.equal(plan.mode, 'deployment');
    if (plan.mode !== 'deployment') return;
    const d = plan.deployment;
    assert.equal(d.metadata.namespace, 'ns1');
    assert.equal(d.spec.replicas, 3);
    assert.deepEqual(d.spec.selector.matchLabels, { app: 'web', tier: 'front' });
    assert.deepEqual(d.spec.template.metadata?.labels, { app: 'web', tier: 'front' });
    const c = d.spec.template.spec.containers[0]!;
    assert.deepEqual(c.args, ['--flag']);
    assert.equal(c.command, undefined);
    assert.deepEqual(c.env, [{ name: 'A', value: '1' }, { name: 'B', value: 'x=y' }]);
    assert.deepEqual(c.ports?.map((p) => p.containerPort), [80, 9090]);
    assert.equal(plan.service?.spec.type, 'LoadBalancer');
    assert.deepEqual(plan.service?.spec.selector, { app: 'web', tier: 'front' });
    assert.deepEqual(plan.service?.spec.ports?.map((p) => [p.port, p.targetPort]), [[8080, 80], [9090, 9090]]);
  });

  it('--command makes the arguments the command; no -p, no Service', () => {
    const plan = buildRunPlan('w', 'default', { image: 'busybox', command: true }, ['sleep', '10']);
    assert.ok(plan.mode === 'deployment' && !plan.service);
    assert.deepEqual(plan.deployment.spec.template.spec.containers[0]!.command, ['sleep', '10']);
  });

  it('--rm -it makes one pod whose main process waits, with the command kept for exec', () => {
    const plan = buildRunPlan('tmp', 'default', { image: 'busybox', rm: true, stdin: true, tty: true, restart: 'Never' }, ['sh', '-c', 'exit 3']);
    assert.equal(plan.mode, 'pod');
    if (plan.mode !== 'pod') return;
    assert.deepEqual(plan.attach, ['sh', '-c', 'exit 3']);
    assert.equal(plan.rm, true);
    const c = plan.pod.spec.containers[0]!;
    assert.deepEqual(c.command, KEEPALIVE_COMMAND);
    assert.equal(c.args, undefined);
    assert.equal(plan.pod.spec.restartPolicy, 'Never');
    assert.equal(plan.pod.metadata.labels?.run, 'tmp');
  });

  it('--restart Never without -i is a plain pod running the image with the arguments', () => {
    const plan = buildRunPlan('job1', 'default', { image: 'busybox', restart: 'Never' }, ['echo', 'hi']);
    assert.ok(plan.mode === 'pod' && plan.attach === undefined);
    assert.deepEqual(plan.pod.spec.containers[0]!.args, ['echo', 'hi']);
  });

  it('refuses bad flags before anything is made', () => {
    invalidError(() => buildRunPlan('web', 'default', {}, []), /--image/);
    invalidError(() => buildRunPlan('Web_1', 'default', { image: 'x' }, []), /not a valid name/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', port: ['80:http'] }, []), /HOST:CONTAINER/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', port: ['70000:80'] }, []), /outside 1-65535/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', port: ['80:80', '80:81'] }, []), /published twice/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', env: ['1A=b'] }, []), /environment variable/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', replicas: '-1' }, []), /--replicas/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', rm: true }, []), /--rm should only be used for attached/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', restart: 'Sometimes' }, []), /--restart/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', stdin: true, port: ['80'] }, []), /cannot publish ports/);
    invalidError(() => buildRunPlan('web', 'default', { image: 'x', labels: ['novalue'] }, []), /key=value/);
  });

  it('parses -p forms', () => {
    assert.deepEqual(parsePort('8080:80'), { hostPort: 8080, containerPort: 80 });
    assert.deepEqual(parsePort('53/tcp'), { hostPort: 53, containerPort: 53 });
  });
});

describe('kite expose: the Service made', () => {
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', extra: 'x' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8000 }] }] } } },
  };

  it("selects the deployment's pods; the port defaults to the first container port", () => {
    const svc = buildExposedService(deployment, 'default', {});
    assert.deepEqual(svc.spec.selector, { app: 'web' });
    assert.deepEqual(svc.spec.ports, [{ protocol: 'TCP', port: 8000, targetPort: 8000 }]);
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.equal(svc.metadata.name, 'web');
  });

  it('--port, --target-port, --type and --name', () => {
    const svc = buildExposedService(deployment, 'default', { port: '80', targetPort: '8000', type: 'NodePort', name: 'front' });
    assert.deepEqual(svc.spec.ports, [{ protocol: 'TCP', port: 80, targetPort: 8000 }]);
    assert.equal(svc.spec.type, 'NodePort');
    assert.equal(svc.metadata.name, 'front');
  });

  it("a pod's labels and a service's selector and target port", () => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { run: 'p' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    assert.deepEqual(buildExposedService(pod, 'default', { port: '81' }).spec.selector, { run: 'p' });
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { a: 'b' }, ports: [{ port: 80, targetPort: 'http' }] } };
    const copy = buildExposedService(svc, 'default', { name: 's2', type: 'LoadBalancer' });
    assert.deepEqual(copy.spec.ports, [{ protocol: 'TCP', port: 80, targetPort: 'http' }]);
    assert.deepEqual(copy.spec.selector, { a: 'b' });
  });

  it('refuses what cannot be exposed', () => {
    invalidError(() => buildExposedService({ ...deployment, spec: { ...deployment.spec, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } }, 'default', {}), /couldn't find port/);
    invalidError(() => buildExposedService(deployment, 'default', { type: 'External' }), /--type/);
    invalidError(() => buildExposedService(deployment, 'default', { port: '0' }), /--port/);
    invalidError(() => buildExposedService({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'default', { port: '1' }), /cannot expose a ConfigMap/);
  });
});

describe('kite port-forward: what is forwarded to', () => {
  const pod = (name: string, phase: string, ready = true, ports: { name?: string; containerPort: number }[] = []): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'i', ports }] },
    status: { phase: phase as 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('parses [LOCAL:]REMOTE', () => {
    assert.deepEqual(parsePortPair('8080:80'), { local: 8080, remote: 80 });
    assert.deepEqual(parsePortPair('80'), { local: 80, remote: 80 });
    assert.deepEqual(parsePortPair(':80'), { local: 0, remote: 80 });
    invalidError(() => parsePortPair('80:'), /LOCAL/);
    invalidError(() => parsePortPair('1:0'), /outside/);
  });

  it('a pod that is not running is a clear error', () => {
    invalidError(() => requireRunning(pod('p', 'Pending')), /pod p is not running. Current status=Pending/);
    assert.equal(requireRunning(pod('p', 'Running')).metadata.name, 'p');
  });

  it('a deployment forwards to a ready running pod first', () => {
    const d = { metadata: { name: 'd' } } as Deployment;
    assert.equal(pickDeploymentPod(d, [pod('a', 'Pending'), pod('b', 'Running', false), pod('c', 'Running')]).metadata.name, 'c');
    invalidError(() => pickDeploymentPod(d, [pod('a', 'Pending')]), /has no running pod/);
  });

  it('a service port maps to its targetPort (by number or container port name) on an endpoint pod', () => {
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 'https' }, { port: 53 }] } };
    const p = pod('p', 'Running', true, [{ name: 'https', containerPort: 8443 }]);
    assert.equal(serviceTargetPort(svc, 80, p), 8080);
    assert.equal(serviceTargetPort(svc, 443, p), 8443);
    assert.equal(serviceTargetPort(svc, 53, p), 53);
    invalidError(() => serviceTargetPort(svc, 81, p), /does not have a service port 81/);
    const eps: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 's' }, subsets: [{ notReadyAddresses: [{ ip: '1', targetRef: { kind: 'Pod', name: 'x' } }], addresses: [{ ip: '2', targetRef: { kind: 'Pod', name: 'p' } }] }] };
    assert.equal(pickEndpointPod(svc, eps), 'p');
    invalidError(() => pickEndpointPod(svc, undefined), /no ready endpoint pod/);
  });

  it("the agent connects only to a running pod's IP", () => {
    assert.equal(podAddress({ uid: 'u', phase: 'Running', pod_ip: '10.0.0.5' }, 'u'), '10.0.0.5');
    invalidError(() => podAddress({ uid: 'u', name: 'p', namespace: 'n', phase: 'Pending' }, 'u'), /n\/p is not running. Current status=Pending/);
    assert.throws(() => podAddress(undefined, 'u'), (e: unknown) => isKiteError(e, 'NotFound'));
  });
});

describe('kite cp: arguments and tar', () => {
  let dir = '';
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-cp-unit-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('tells pod paths from local ones', () => {
    assert.deepEqual(parseCpArg('web:/etc/hosts'), { pod: 'web', path: '/etc/hosts' });
    assert.deepEqual(parseCpArg('ns1/web:/tmp'), { namespace: 'ns1', pod: 'web', path: '/tmp' });
    assert.equal(parseCpArg('./a:b'), undefined);
    assert.equal(parseCpArg('/abs/file'), undefined);
    assert.equal(parseCpArg('dir/sub/x:y'), undefined);
  });

  it('packs a directory and unpacks it elsewhere, byte for byte (long names and symlinks too)', () => {
    const src = path.join(dir, 'src');
    const long = 'n'.repeat(120);
    fs.mkdirSync(path.join(src, 'sub', long), { recursive: true });
    fs.writeFileSync(path.join(src, 'a.txt'), 'hello\n');
    fs.writeFileSync(path.join(src, 'sub', long, 'big.bin'), Buffer.alloc(70_000, 7));
    fs.writeFileSync(path.join(src, 'empty'), '');
    fs.symlinkSync('a.txt', path.join(src, 'link'));
    const out = path.join(dir, 'out');
    const unpacker = new TarUnpacker(out);
    // Fed in odd-sized pieces, as a stream arrives.
    const all = Buffer.concat([...packPath(src, 'top', 1000)]);
    for (let i = 0; i < all.length; i += 777) unpacker.write(all.subarray(i, i + 777));
    const report = unpacker.end();
    assert.deepEqual(report.skipped, []);
    assert.equal(fs.readFileSync(path.join(out, 'a.txt'), 'utf8'), 'hello\n');
    assert.deepEqual(fs.readFileSync(path.join(out, 'sub', long, 'big.bin')), Buffer.alloc(70_000, 7));
    assert.equal(fs.readFileSync(path.join(out, 'empty'), 'utf8'), '');
    assert.equal(fs.readlinkSync(path.join(out, 'link')), 'a.txt');
  });

  it('refuses entries escaping the destination, and symlinks pointing out of it', () => {
    assert.equal(entryDestination('/d', '/etc/passwd'), undefined);
    assert.equal(entryDestination('/d', 'top/../../x'), undefined);
    assert.equal(entryDestination('/d', 'top/a/b'), '/d/a/b');
    assert.equal(entryDestination('/d', 'top'), '/d');
    const out = path.join(dir, 'out');
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    const file = (name: string, body: string) => [tarHeader(name, { type: 'file', size: body.length, mode: 0o644, mtime: 0 }), Buffer.from(body), Buffer.alloc(512 - body.length)];
    const archive = Buffer.concat([
      tarHeader('top/', { type: 'dir', size: 0, mode: 0o755, mtime: 0 }),
      ...file('top/../../outside/evil', 'x'),
      tarHeader('top/esc', { type: 'symlink', size: 0, mode: 0o777, mtime: 0, linkname: '../outside' }),
      tarHeader('top/abs', { type: 'symlink', size: 0, mode: 0o777, mtime: 0, linkname: '/etc' }),
      ...file('top/ok', 'fine'),
      Buffer.alloc(1024),
    ]);
    // A symlink made by hand inside the destination must not be written through either.
    fs.mkdirSync(out);
    fs.symlinkSync(outside, path.join(out, 'through'));
    const unpacker = new TarUnpacker(out);
    unpacker.write(archive);
    const report = unpacker.end();
    assert.equal(report.skipped.length, 3, report.skipped.join('\n'));
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.equal(fs.readFileSync(path.join(out, 'ok'), 'utf8'), 'fine');
    assert.equal(fs.lstatSync(path.join(out, 'esc'), { throwIfNoEntry: false }), undefined);

    const second = new TarUnpacker(out);
    second.write(Buffer.concat([...file('top/through/evil2', 'y'), Buffer.alloc(1024)]));
    assert.equal(second.end().skipped.length, 1);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('an archive cut in the middle of a file is an error', () => {
    const u = new TarUnpacker(path.join(dir, 'o'));
    u.write(Buffer.concat([tarHeader('top', { type: 'file', size: 1000, mode: 0o644, mtime: 0 }), Buffer.alloc(10)]));
    invalidError(() => u.end(), /ended in the middle/);
  });
});
