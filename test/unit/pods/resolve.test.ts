import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod, Secret } from '../../../common/api/types';
import { cpuToNanoCpus, cpuToShares, memoryToBytes } from '../../../node-agent/executor/quantity';
import { containerName } from '../../../node-agent/executor/types';
import { prepareMounts, pullAuthFor, registryOf } from '../../../node-agent/pods/resolve';

const basePod = (spec: Partial<Pod['spec']>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', uid: '0123abcd-ef45-6789' },
  spec: { containers: [{ name: 'c', image: 'x' }], ...spec },
});

describe('pod resolution helpers', () => {
  it('converts quantities to engine units', () => {
    assert.equal(cpuToNanoCpus('500m'), 500_000_000);
    assert.equal(cpuToNanoCpus(2), 2_000_000_000);
    assert.equal(memoryToBytes('64Mi'), 64 * 1024 * 1024);
    assert.equal(memoryToBytes('1G'), 1e9);
    assert.equal(cpuToShares('250m'), 256);
    assert.throws(() => memoryToBytes('lots'), /invalid memory quantity "lots"/);
  });

  it('names containers kite_<ns>_<pod>_<container>_<uid8>_<attempt>', () => {
    assert.equal(containerName(basePod({}), 'web', 3), 'kite_ns_p_web_0123abcd_3');
  });

  it('finds dockerconfigjson credentials for the image registry', () => {
    const cfg = { auths: { 'registry.example.com:5000': { auth: Buffer.from('bob:pw').toString('base64') }, 'https://index.docker.io/v1/': { username: 'hub', password: 'hpw' } } };
    const secret: Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { name: 'regcred' },
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(cfg)).toString('base64') },
    };
    const a = { pod: basePod({ imagePullSecrets: [{ name: 'regcred' }] }), configMaps: [], secrets: [secret] };
    assert.equal(registryOf('registry.example.com:5000/team/app:1'), 'registry.example.com:5000');
    assert.equal(registryOf('library/busybox'), 'docker.io');
    assert.deepEqual(pullAuthFor(a, 'registry.example.com:5000/team/app:1'), { username: 'bob', password: 'pw', serveraddress: 'registry.example.com:5000' });
    assert.equal(pullAuthFor(a, 'busybox')?.username, 'hub');
    assert.equal(pullAuthFor(a, 'other.io/app'), undefined);
  });

  it('writes configMap and secret volumes as read-only files (secret decoded, mode 0400) and shares emptyDir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kite-resolve-'));
    try {
      const pod = basePod({
        volumes: [
          { name: 'conf', configMap: { name: 'cm' } },
          { name: 'creds', secret: { secretName: 's' } },
          { name: 'scratch', emptyDir: {} },
        ],
      });
      pod.spec.containers[0]!.volumeMounts = [
        { name: 'conf', mountPath: '/etc/conf' },
        { name: 'creds', mountPath: '/etc/creds' },
        { name: 'scratch', mountPath: '/scratch' },
      ];
      const mounts = await prepareMounts(
        {
          pod,
          configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { 'app.conf': 'x=1' } }],
          secrets: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: Buffer.from('t0k').toString('base64') } }],
        },
        pod.spec.containers[0]!,
        dataDir,
      );
      assert.deepEqual(mounts.map((m) => [m.containerPath, m.readOnly]), [['/etc/conf', true], ['/etc/creds', true], ['/scratch', false]]);
      assert.equal(readFileSync(join(mounts[0]!.hostPath, 'app.conf'), 'utf8'), 'x=1');
      const token = join(mounts[1]!.hostPath, 'token');
      assert.equal(readFileSync(token, 'utf8'), 't0k');
      assert.equal(statSync(token).mode & 0o777, 0o400);
      assert.match(mounts[2]!.hostPath, /pods\/0123abcd-ef45-6789\/volumes\/scratch$/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
