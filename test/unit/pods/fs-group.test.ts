// fsGroup on the pod's own volumes, on real directories (chown needs root: skipped otherwise).
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../common/api/types';
import { applyFsGroup, fsGroupMode } from '../../../node-agent/pods/fs-group';
import { prepareMounts } from '../../../node-agent/pods/resolve';

const GID = 4321;
const mode = (p: string) => statSync(p).mode & 0o7777;
const gid = (p: string) => statSync(p).gid;

describe('fsGroupMode (the bits fsGroup adds)', () => {
  it('adds group read/write to files, setgid and search to directories, and only read when read-only', () => {
    assert.equal(fsGroupMode(0o644, false, false), 0o664);
    assert.equal(fsGroupMode(0o755, true, false), 0o2775);
    assert.equal(fsGroupMode(0o400, false, true), 0o440);
    assert.equal(fsGroupMode(0o700, true, true), 0o2750);
  });
});

describe('fsGroup on volumes (real files)', function () {
  let root: string;
  before(function () {
    if (process.getuid?.() !== 0) this.skip();
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kite-fsgroup-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives every file and directory to the group, keeping owners, without following links out', async () => {
    const vol = join(root, 'vol');
    mkdirSync(join(vol, 'sub'), { recursive: true });
    writeFileSync(join(vol, 'sub', 'f'), 'x', { mode: 0o600 });
    chownSync(join(vol, 'sub', 'f'), 1000, 0);
    const outside = join(root, 'outside');
    writeFileSync(outside, 'node file', { mode: 0o600 });
    symlinkSync(outside, join(vol, 'link'));
    await applyFsGroup(vol, GID);
    assert.deepEqual([gid(vol), gid(join(vol, 'sub')), gid(join(vol, 'sub', 'f'))], [GID, GID, GID]);
    assert.equal(statSync(join(vol, 'sub', 'f')).uid, 1000);
    assert.equal(mode(join(vol, 'sub', 'f')), 0o660);
    assert.equal(mode(join(vol, 'sub')) & 0o2070, 0o2070);
    assert.deepEqual([gid(outside), mode(outside)], [0, 0o600], 'the link\'s target is not the volume\'s');
  });

  it('OnRootMismatch skips the walk when the root already has the group, Always walks', async () => {
    const vol = join(root, 'vol');
    mkdirSync(vol);
    await applyFsGroup(vol, GID);
    writeFileSync(join(vol, 'later'), 'x', { mode: 0o600 });
    chownSync(join(vol, 'later'), 0, 0);
    await applyFsGroup(vol, GID, { policy: 'OnRootMismatch' });
    assert.equal(gid(join(vol, 'later')), 0, 'not walked: the root matched');
    await applyFsGroup(vol, GID, { policy: 'Always' });
    assert.equal(gid(join(vol, 'later')), GID);
    chownSync(vol, 0, 0);
    chownSync(join(vol, 'later'), 0, 0);
    await applyFsGroup(vol, GID, { policy: 'OnRootMismatch' });
    assert.equal(gid(join(vol, 'later')), GID, 'walked: the root did not match');
  });

  it('prepareMounts applies the pod\'s fsGroup to emptyDir, configMap and secret volumes, never to hostPath', async () => {
    const hostDir = join(root, 'host');
    mkdirSync(hostDir);
    chmodSync(hostDir, 0o755);
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', uid: 'fsgroup-0000' },
      spec: {
        securityContext: { fsGroup: GID },
        containers: [{
          name: 'c',
          image: 'x',
          volumeMounts: [{ name: 'scratch', mountPath: '/s' }, { name: 'cfg', mountPath: '/c' }, { name: 'creds', mountPath: '/k' }, { name: 'node', mountPath: '/n' }],
        }],
        volumes: [
          { name: 'scratch', emptyDir: {} },
          { name: 'cfg', configMap: { name: 'cm', defaultMode: 0o644 } },
          { name: 'creds', secret: { secretName: 's' } },
          { name: 'node', hostPath: { path: hostDir } },
        ],
      },
    };
    const a = {
      pod,
      configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { 'app.conf': 'a=1' } }],
      secrets: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { token: 't0ken' } }],
    };
    const mounts = await prepareMounts(a as never, pod.spec.containers[0]!, join(root, 'data'));
    const at = (p: string) => mounts.find((m) => m.containerPath === p)!.hostPath;
    assert.equal(gid(at('/s')), GID);
    assert.equal(mode(at('/s')), 0o2777, 'emptyDir: writable by the group, setgid');
    assert.deepEqual([gid(join(at('/c'), 'app.conf')), mode(join(at('/c'), 'app.conf'))], [GID, 0o644], 'configMap: defaultMode kept, group may read');
    assert.deepEqual([gid(join(at('/k'), 'token')), mode(join(at('/k'), 'token'))], [GID, 0o440], 'secret: 0400 becomes group-readable');
    assert.deepEqual([gid(hostDir), mode(hostDir)], [0, 0o755], 'hostPath untouched');
  });
});
