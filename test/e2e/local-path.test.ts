// local-path PersistentVolumeClaims on the real Docker Engine (etcd + kite-controller + one
// kite-agent as real processes, driven through the `kite` CLI): data one pod writes to its claim is
// there for the next pod using the claim, and deleting the claim (reclaimPolicy Delete) removes the
// directory from the node's storage dir.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { stringify } from 'yaml';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { isKiteError } from '../../common/errors';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { ensureTestImage } from '../harness/images';
import { eventually, kite, startAgent, startController, type AgentHandle, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';

const NODE = `e2e-local-path-${process.pid}`;
const NS = `local-path-${process.pid}`;

describe('local-path claims on the real Docker Engine (e2e)', function () {
  this.timeout(180_000);
  let dockerHandle: DockerHandle | undefined;
  let docker: Docker;
  let etcd: EtcdHandle | undefined;
  let controller: ControllerHandle | undefined;
  let agent: AgentHandle | undefined;
  let client: KiteClient;
  let server = '';
  let dir = '';
  let storageDir = '';
  let image = '';

  const cli = (args: string[]) => kite(server, args);
  function ok(r: { code: number; stdout: string; stderr: string }, what: string): string {
    assert.equal(r.code, 0, `${what} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  const apply = async (objects: object[], name: string) => {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    return ok(await cli(['apply', '-f', file]), `kite apply ${name}`);
  };
  const podUsingClaim = (name: string, script: string) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image, command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
    },
  });
  const running = async (name: string) => {
    const p = await client.get<Pod>('Pod', name, NS).catch(() => undefined);
    return p?.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
  };
  const gone = async (kind: string, name: string, namespace = '') => {
    try {
      await client.get(kind, name, namespace);
      return false;
    } catch (e) {
      return isKiteError(e, 'NotFound');
    }
  };

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    dockerHandle = await dockerForSuite(this);
    docker = dockerHandle.docker;
    image = await ensureTestImage(docker);
    etcd = await startEtcd();
    controller = await startController({ etcd: etcd.endpoint, heartbeatMs: 500 });
    client = controller.client;
    server = controller.target;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-local-path-'));
    storageDir = path.join(dir, 'storage');
    agent = await startAgent({ controller: server, name: NODE, dataDir: path.join(dir, 'agent'), extraArgs: ['--storage-dir', storageDir] });
    await eventually(async () => isNodeReady(await client.get<Node>('Node', NODE)), 30_000, 'node Ready');
    await apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: NS }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } } },
    ], 'claim');
  });

  after(async function () {
    this.timeout(60_000);
    await agent?.stop();
    await controller?.stop();
    await etcd?.stop();
    if (dockerHandle) {
      const left = await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await dockerHandle.stop();
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the claim Pending until a pod uses it, then provisions it in the node\'s storage dir', async () => {
    assert.match(ok(await cli(['get', 'pvc', '-n', NS]), 'kite get pvc'), /^data\s+Pending\s+local-path\s+<unset>\s+/m);
    await apply([podUsingClaim('writer', 'echo "written by $(hostname)" > /data/note; exec sleep 3600')], 'writer');
    await eventually(() => running('writer'), 90_000, 'writer Ready');
    const claim = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data', NS);
    assert.equal(claim.status?.phase, 'Bound');
    const volumeDir = path.join(storageDir, `pvc-${claim.metadata.uid}_${NS}_data`);
    assert.equal(fs.readFileSync(path.join(volumeDir, 'note'), 'utf8'), 'written by writer\n', 'the pod wrote into the directory on the node');

    const tables = ok(await cli(['get', 'pvc,pv,sc', '-n', NS]), 'kite get pvc,pv,sc');
    assert.match(tables, /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$/m);
    assert.match(tables, new RegExp(`^data\\s+Bound\\s+${claim.spec.volumeName}\\s+16Mi\\s+RWO\\s+local-path\\s+`, 'm'));
    assert.match(tables, new RegExp(`^${claim.spec.volumeName}\\s+16Mi\\s+RWO\\s+Delete\\s+Bound\\s+${NS}/data\\s+local-path\\s+`, 'm'));
    assert.match(tables, /^local-path \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+/m);
  });

  it('gives the next pod using the claim the data the first one wrote', async () => {
    ok(await cli(['delete', 'pod', 'writer', '-n', NS]), 'kite delete pod writer');
    await eventually(() => gone('Pod', 'writer', NS), 60_000, 'writer gone');
    await apply([podUsingClaim('reader', 'exec sleep 3600')], 'reader');
    await eventually(() => running('reader'), 90_000, 'reader Ready');
    assert.equal(ok(await cli(['exec', '-n', NS, 'reader', '--', 'cat', '/data/note']), 'exec cat').trim(), 'written by writer');
  });

  it('holds a deleted claim while a pod uses it, then removes the directory and the volume (Delete)', async () => {
    const claim = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data', NS);
    const volumeDir = path.join(storageDir, `pvc-${claim.metadata.uid}_${NS}_data`);
    const pv = await client.get<PersistentVolume>('PersistentVolume', claim.spec.volumeName!);
    assert.equal(pv.spec.local?.path, volumeDir);
    ok(await cli(['delete', 'pvc', 'data', '-n', NS, '--wait=false']), 'kite delete pvc');
    assert.match(ok(await cli(['get', 'pvc', 'data', '-n', NS]), 'kite get pvc'), /^data\s+Terminating\s+/m);
    assert.ok(fs.existsSync(volumeDir), 'kept while the reader uses it');
    ok(await cli(['delete', 'pod', 'reader', '-n', NS]), 'kite delete pod reader');
    await eventually(() => gone('PersistentVolume', pv.metadata.name), 60_000, 'the volume deleted');
    assert.equal(fs.existsSync(volumeDir), false, 'the directory is removed from the node');
    assert.ok(await gone('PersistentVolumeClaim', 'data', NS));
  });
});
