// Kite across three real hosts (network namespaces, each with its own dockerd and kite-agent):
// placement spreads over hosts, a hostPort answers at its host's address from another host, and
// logs/exec reach pods wherever they run; a local-path claim pins its pods to the host it was
// provisioned on (the directory exists under that host's agent storage dir only).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PersistentVolumeClaim, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { eventually, fullyAvailable, NS, podReady, requireHostTools, startCluster, webDeployment, type MultiHostCluster } from './fixture';

const IMAGE = 'kite-test/busybox:1';
const CLAIM = `pinned-${process.pid}`;

function podUsingClaim(name: string, script: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: CLAIM } }],
    },
  };
}

describe('Kite on three hosts (multi-host)', function () {
  this.timeout(120_000);
  let c: MultiHostCluster | undefined;
  const cluster = () => c!;

  before(async function () {
    this.timeout(180_000);
    requireHostTools(this);
    c = await startCluster({ hosts: 3, controllers: 1, nodeGraceSeconds: 3, heartbeatMs: 500 });
    await eventually(async () => (await c!.client().list('Node')).items.length === 3, 30_000, 'three nodes registered');
  });

  after(async () => {
    await c?.teardown();
  });

  it('spreads a Deployment over every host, and each pod runs on its own host\'s engine', async () => {
    await cluster().client().apply([webDeployment('spread', 6)]);
    await fullyAvailable(cluster(), 'spread', 6, 60_000);
    const pods = await cluster().pods('app=spread');
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    assert.deepEqual([...perNode.keys()].sort(), cluster().hosts.hosts.map((h) => h.name).sort(), 'every host got pods');
    for (const p of pods) {
      const h = cluster().host(p.spec.nodeName!);
      assert.equal(p.status?.hostIP, h.ip, `${p.metadata.name} reports its host's address`);
      const running = await cluster().runningOn(h);
      assert.ok(running.has(p.metadata.uid!), `${p.metadata.name} runs on ${h.name}'s dockerd`);
    }
  });

  it('serves a hostPort at its host\'s address, reachable from another host', async () => {
    const [a, b] = cluster().hosts.hosts;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hostport-b', namespace: NS },
      spec: {
        nodeName: b!.name,
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'web', image: 'kite-test/busybox:1', command: ['sh', '-c', 'echo on-b > /www/where; exec httpd -f -p 80 -h /www'], ports: [{ containerPort: 80, hostPort: 18080 }] }],
      },
    };
    await cluster().client().apply([pod]);
    const body = await eventually(
      () => {
        try {
          return cluster().hosts.exec(a!, ['curl', '-sf', '-m', '2', `http://${b!.ip}:18080/where`]);
        } catch {
          return undefined;
        }
      },
      30_000,
      'hostPort 18080 on host B from host A',
    );
    assert.equal(body.trim(), 'on-b');
    // The port is B's, not A's: A has nothing on it.
    assert.throws(() => cluster().hosts.exec(a!, ['curl', '-sf', '-m', '2', `http://${a!.ip}:18080/where`]));
  });

  it('reaches pods on every host with kite logs and kite exec', async () => {
    const hosts = cluster().hosts.hosts;
    await cluster().client().apply(
      hosts.map(
        (h): Pod => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `talk-${h.index}`, namespace: NS },
          spec: {
            nodeName: h.name,
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'main', image: 'kite-test/busybox:1', command: ['sh', '-c', `echo hello-from-${h.name}; exec sleep 3600`] }],
          },
        }),
      ),
    );
    for (const h of hosts) {
      const name = `talk-${h.index}`;
      await eventually(async () => (await cluster().client().get<Pod>('Pod', name, NS)).status?.phase === 'Running', 30_000, `${name} running`);
      const logs = await eventually(async () => {
        const r = await cluster().cli(['logs', name]);
        return r.code === 0 && r.stdout.includes(`hello-from-${h.name}`) ? r : undefined;
      }, 15_000, `logs of ${name}`);
      assert.match(logs.stdout, new RegExp(`hello-from-${h.name}`));
      const ex = await cluster().cli(['exec', name, '--', 'sh', '-c', 'echo exec-ok; ip -4 addr show eth0 | grep -c inet']);
      assert.equal(ex.code, 0, `exec on ${h.name}: ${ex.stderr}`);
      assert.match(ex.stdout, /^exec-ok\n1\n$/);
    }
  });

  const ready = async (name: string) => {
    const p = await cluster().client().get<Pod>('Pod', name, NS).catch(() => undefined);
    return p && podReady(p) && !p.metadata.deletionTimestamp ? p : undefined;
  };

  it('keeps a claim\'s pod on the host it was provisioned on across a pod delete, with its data', async () => {
    const client = cluster().client();
    await client.apply([
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: CLAIM, namespace: NS }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } } } as PersistentVolumeClaim,
      podUsingClaim('first', 'hostname > /data/first; exec sleep 3600'),
    ]);
    const first = await eventually(() => ready('first'), 90_000, 'first Ready');
    const node = first.spec.nodeName!;
    const claim = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', CLAIM, NS);
    assert.equal(claim.status?.phase, 'Bound');
    const dirName = `pvc-${claim.metadata.uid}_${NS}_${CLAIM}`;
    for (const h of cluster().hosts.hosts) {
      const volumeDir = path.join(h.dir, 'agent', 'storage', dirName);
      assert.equal(fs.existsSync(volumeDir), h.name === node, `the directory exists on ${node} only (${h.name})`);
    }

    await client.delete('Pod', 'first', NS);
    await eventually(async () => {
      try {
        await client.get('Pod', 'first', NS);
        return false;
      } catch (e) {
        return isKiteError(e, 'NotFound');
      }
    }, 60_000, 'first gone');
    // Several replacements: each would spread over three hosts if the claim did not pin them.
    for (const name of ['second', 'third', 'fourth']) await client.apply([podUsingClaim(name, 'exec sleep 3600')]);
    for (const name of ['second', 'third', 'fourth']) {
      const p = await eventually(() => ready(name), 90_000, `${name} Ready`);
      assert.equal(p.spec.nodeName, node, `${name} runs where the claim's volume is`);
    }
    const r = await cluster().cli(['exec', '-n', NS, 'second', '--', 'cat', '/data/first']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'first', 'the data the first pod wrote');
  });
});
