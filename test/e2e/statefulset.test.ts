// Storage and StatefulSets on the real Docker Engine (etcd + kite-controller + one kite-agent as
// real processes, driven through the `kite` CLI), one cluster for both:
// - a StatefulSet: three pods web-0..2 created in order, each with its own local-path claim it
//   writes its hostname into; a deleted pod comes back under its name with its data; each pod
//   answers by name through the headless Service's DNS;
// - a local-path claim: data one pod writes is there for the next pod using the claim, and
//   deleting the claim (reclaimPolicy Delete) removes the directory from the node's storage dir.
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

const NODE = `e2e-statefulset-${process.pid}`;
const NS = `statefulset-${process.pid}`;
const SET = 'web';
const SVC = 'web-dns';
const CLAIM_NS = `local-path-${process.pid}`;

describe('a StatefulSet on the real Docker Engine (e2e)', function () {
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
  const inPod = async (pod: string, script: string) => ok(await cli(['exec', '-n', NS, pod, '--', 'sh', '-c', script]), `exec in ${pod}`);
  const readyPod = async (name: string): Promise<Pod | undefined> => {
    const p = await client.get<Pod>('Pod', name, NS).catch(() => undefined);
    const ready = p?.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    return ready && !p.metadata.deletionTimestamp ? p : undefined;
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
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-statefulset-'));
    storageDir = path.join(dir, 'storage');
    agent = await startAgent({ controller: server, name: NODE, dataDir: path.join(dir, 'agent'), extraArgs: ['--storage-dir', storageDir] });
    await eventually(async () => isNodeReady(await client.get<Node>('Node', NODE)), 30_000, 'node Ready');

    const labels = { app: `statefulset-${process.pid}` };
    const objects: object[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: SVC, namespace: NS }, spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'web', port: 80 }] } },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: SET, namespace: NS },
        spec: {
          serviceName: SVC,
          replicas: 3,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [{
                name: 'main',
                image,
                // Each start appends the pod's hostname: a pod that comes back on its claim finds its earlier line.
                command: ['sh', '-c', 'hostname >> /data/hostnames; exec sleep 3600'],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              }],
            },
          },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '16Mi' } } } }],
        },
      },
    ];
    const file = path.join(dir, 'statefulset.yaml');
    fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    ok(await cli(['apply', '-f', file]), 'kite apply');
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

  it('creates web-0, web-1, web-2 in order, each Ready before the next is created', async () => {
    const pods = await eventually(async () => {
      const all = await Promise.all([0, 1, 2].map((i) => readyPod(`${SET}-${i}`)));
      return all.every(Boolean) ? (all as Pod[]) : undefined;
    }, 120_000, 'three ready pods');
    const created = pods.map((p) => Date.parse(p.metadata.creationTimestamp ?? ''));
    const readyAt = pods.map((p) => Date.parse(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? ''));
    // creationTimestamp has whole seconds (as Kubernetes'): compare within the second it names.
    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    for (const i of [1, 2]) assert.ok(created[i]! >= second(readyAt[i - 1]!), `${SET}-${i} (created ${pods[i]!.metadata.creationTimestamp}) was created after ${SET}-${i - 1} became Ready`);
    const table = ok(await cli(['get', 'statefulsets', '-n', NS]), 'kite get statefulsets');
    assert.match(table, /^NAME\s+READY\s+AGE$/m);
    assert.match(table, new RegExp(`^${SET}\\s+3/3\\s+`, 'm'));
    assert.match(ok(await cli(['rollout', 'status', `sts/${SET}`, '-n', NS]), 'rollout status'), /statefulset rolling update complete 3 pods at revision web-/);
  });

  it('gives each pod its hostname and its own bound claim, which it writes into', async () => {
    for (const i of [0, 1, 2]) {
      const name = `${SET}-${i}`;
      // One exec per pod (each costs a CLI process): its hostname, then what its claim holds.
      assert.equal((await inPod(name, 'hostname; cat /data/hostnames')).trim(), `${name}\n${name}`);
      const claim = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', `data-${SET}-${i}`, NS);
      assert.equal(claim.status?.phase, 'Bound');
    }
  });

  it('brings a deleted pod back under the same name, on the same claim with its data', async () => {
    const before = await client.get<Pod>('Pod', `${SET}-1`, NS);
    ok(await cli(['delete', 'pod', `${SET}-1`, '-n', NS]), 'kite delete pod');
    const after = await eventually(async () => {
      const p = await readyPod(`${SET}-1`);
      return p && p.metadata.uid !== before.metadata.uid ? p : undefined;
    }, 90_000, 'web-1 back and Ready');
    assert.equal(after.spec.hostname, `${SET}-1`);
    assert.equal((await inPod(`${SET}-1`, 'cat /data/hostnames')).trim(), `${SET}-1\n${SET}-1`, 'the first start\'s line is still there');
  });

  it('resolves each pod by name through the headless Service, from another pod', async () => {
    /** Runs in web-1 until its output has the IP (DNS answers once the Endpoints reach the agent); fails showing the last output and the Endpoints. */
    const resolvedIn = async (what: string, script: string, ip: string) => {
      let last = '';
      return eventually(async () => {
        const r = await cli(['exec', '-n', NS, `${SET}-1`, '--', 'sh', '-c', script]);
        last = `${r.code}: ${r.stdout}${r.stderr}`;
        return r.stdout.includes(ip) ? r.stdout : undefined;
      }, 20_000, `${what} resolving to ${ip}`).catch(async (e: unknown) => {
        const ep = await client.get('Endpoints', SVC, NS).catch(() => undefined);
        throw new Error(`${String(e)}; output: ${last}; Endpoints ${JSON.stringify(ep)}`);
      });
    };
    for (const i of [0, 2]) {
      const name = `${SET}-${i}`;
      const ip = (await client.get<Pod>('Pod', name, NS)).status?.podIP;
      assert.ok(ip, `${name} has an IP`);
      const fqdn = `${name}.${SVC}.${NS}.svc.cluster.local`;
      // The test image has busybox's nslookup applet without a link of that name. This busybox's
      // nslookup sends the name as given, without the resolv.conf search path (seen here; the
      // reason Kubernetes' DNS docs pin busybox:1.28): it is asked the full name.
      const looked = await resolvedIn(fqdn, `busybox nslookup ${fqdn}`, ip);
      assert.match(looked, new RegExp(`Address:?\\s+${ip.replace(/\./g, '\\.')}`));
      // The short forms go through the C library's resolver, search path and all; busybox wget says
      // where it connects ("Connecting to NAME (IP:PORT)") even though nothing listens there.
      for (const short of [`${name}.${SVC}`, `${name}.${SVC}.${NS}.svc`]) {
        const out = await resolvedIn(short, `timeout 3 wget -O- http://${short}/ 2>&1 || true`, ip);
        assert.match(out, new RegExp(`Connecting to ${short.replace(/\./g, '\\.')} \\(${ip.replace(/\./g, '\\.')}:80\\)`));
      }
    }
  });

  describe('a local-path claim', () => {
    const apply = async (objects: object[], name: string) => {
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
      return ok(await cli(['apply', '-f', file]), `kite apply ${name}`);
    };
    const podUsingClaim = (name: string, script: string) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: CLAIM_NS },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image, command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      },
    });
    const running = async (name: string) => {
      const p = await client.get<Pod>('Pod', name, CLAIM_NS).catch(() => undefined);
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

    before(async () => {
      await apply([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CLAIM_NS } },
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: CLAIM_NS }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } } },
      ], 'claim');
    });

    it('keeps the claim Pending until a pod uses it, then provisions it in the node\'s storage dir', async () => {
      assert.match(ok(await cli(['get', 'pvc', '-n', CLAIM_NS]), 'kite get pvc'), /^data\s+Pending\s+local-path\s+<unset>\s+/m);
      await apply([podUsingClaim('writer', 'echo "written by $(hostname)" > /data/note; exec sleep 3600')], 'writer');
      await eventually(() => running('writer'), 90_000, 'writer Ready');
      const claim = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data', CLAIM_NS);
      assert.equal(claim.status?.phase, 'Bound');
      const volumeDir = path.join(storageDir, `pvc-${claim.metadata.uid}_${CLAIM_NS}_data`);
      assert.equal(fs.readFileSync(path.join(volumeDir, 'note'), 'utf8'), 'written by writer\n', 'the pod wrote into the directory on the node');

      const tables = ok(await cli(['get', 'pvc,pv,sc', '-n', CLAIM_NS]), 'kite get pvc,pv,sc');
      assert.match(tables, /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$/m);
      assert.match(tables, new RegExp(`^data\\s+Bound\\s+${claim.spec.volumeName}\\s+16Mi\\s+RWO\\s+local-path\\s+`, 'm'));
      assert.match(tables, new RegExp(`^${claim.spec.volumeName}\\s+16Mi\\s+RWO\\s+Delete\\s+Bound\\s+${CLAIM_NS}/data\\s+local-path\\s+`, 'm'));
      assert.match(tables, /^local-path \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+/m);
    });

    it('gives the next pod using the claim the data the first one wrote', async () => {
      ok(await cli(['delete', 'pod', 'writer', '-n', CLAIM_NS]), 'kite delete pod writer');
      await eventually(() => gone('Pod', 'writer', CLAIM_NS), 60_000, 'writer gone');
      await apply([podUsingClaim('reader', 'exec sleep 3600')], 'reader');
      await eventually(() => running('reader'), 90_000, 'reader Ready');
      assert.equal(ok(await cli(['exec', '-n', CLAIM_NS, 'reader', '--', 'cat', '/data/note']), 'exec cat').trim(), 'written by writer');
    });

    it('holds a deleted claim while a pod uses it, then removes the directory and the volume (Delete)', async () => {
      const claim = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data', CLAIM_NS);
      const volumeDir = path.join(storageDir, `pvc-${claim.metadata.uid}_${CLAIM_NS}_data`);
      const pv = await client.get<PersistentVolume>('PersistentVolume', claim.spec.volumeName!);
      assert.equal(pv.spec.local?.path, volumeDir);
      ok(await cli(['delete', 'pvc', 'data', '-n', CLAIM_NS, '--wait=false']), 'kite delete pvc');
      assert.match(ok(await cli(['get', 'pvc', 'data', '-n', CLAIM_NS]), 'kite get pvc'), /^data\s+Terminating\s+/m);
      assert.ok(fs.existsSync(volumeDir), 'kept while the reader uses it');
      ok(await cli(['delete', 'pod', 'reader', '-n', CLAIM_NS]), 'kite delete pod reader');
      await eventually(() => gone('PersistentVolume', pv.metadata.name), 60_000, 'the volume deleted');
      assert.equal(fs.existsSync(volumeDir), false, 'the directory is removed from the node');
      assert.ok(await gone('PersistentVolumeClaim', 'data', CLAIM_NS));
    });
  });
});
