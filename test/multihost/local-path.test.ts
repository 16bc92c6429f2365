// A local-path claim pins its pods to the node it was provisioned on (multi-host: each host its
// own dockerd and kite-agent): the first pod's node gets the directory under its agent's storage
// dir, and after that pod is deleted its replacement lands on the same host and reads the data,
// while the other hosts never get the directory.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PersistentVolumeClaim, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { eventually, NS, nodeReady, podReady, requireHostTools, startCluster, type MultiHostCluster } from './fixture';

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

describe('local-path claims pin pods to their node (multi-host)', function () {
  this.timeout(120_000);
  let c: MultiHostCluster | undefined;
  const cluster = () => c!;

  before(async function () {
    this.timeout(180_000);
    requireHostTools(this);
    c = await startCluster({ hosts: 3, controllers: 1, nodeGraceSeconds: 30, heartbeatMs: 500 });
    for (const h of c.hosts.hosts) await eventually(async () => nodeReady(await c!.node(h.name)), 30_000, `${h.name} Ready`);
  });

  after(async function () {
    this.timeout(60_000);
    await c?.teardown();
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
