// ServiceAccounts over the real API (issue 12 part 1): stored as applied, a `default` one in every
// namespace kept by the namespace controller, pods' serviceAccountName recorded without warnings.
import assert from 'node:assert/strict';
import type { Namespace, Pod, ServiceAccount } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import type { KiteClient } from '../../common/client';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, eventually, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';

describe('ServiceAccounts (integration: etcd + controller)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let client: KiteClient;

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: '/kite-it-sa', id: 'sa-it', leaderTtlSeconds: 2 });
    client = ctl.client;
  });

  after(async () => {
    await ctl?.stop();
    await etcd?.stop();
  });

  it('stores an applied ServiceAccount as given', async () => {
    const sa: ServiceAccount = {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' }, imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false,
    };
    const res = await client.apply([sa]);
    assert.equal(res.results[0]?.action, 'created');
    assert.deepEqual(res.warnings, []);
    const stored = await client.get<ServiceAccount>('ServiceAccount', 'builder', 'default');
    assert.deepEqual(stored.imagePullSecrets, [{ name: 'registry' }]);
    assert.equal(stored.automountServiceAccountToken, false);
  });

  it('applies a pod naming its service account without warnings, and records the fields', async () => {
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'uses-sa' },
      spec: { serviceAccountName: 'builder', automountServiceAccountToken: false, containers: [{ name: 'c', image: 'busybox:1.36' }] },
    };
    const res = await client.apply([pod]);
    assert.deepEqual(res.warnings, []);
    const stored = await client.get<Pod>('Pod', 'uses-sa', 'default');
    assert.equal(stored.spec.serviceAccountName, 'builder');
    assert.equal(stored.spec.automountServiceAccountToken, false);
  });

  it('has a default ServiceAccount in the system namespaces and in a new one, and creates it again when deleted', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      await eventually(async () => (await client.get<ServiceAccount>('ServiceAccount', 'default', ns)).metadata.namespace === ns, 20_000, `default ServiceAccount in ${ns}`);
    }
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
    await client.apply([ns]);
    await eventually(() => client.get<ServiceAccount>('ServiceAccount', 'default', 'team-a'), 20_000, 'default ServiceAccount in team-a');
    const before = await client.get<ServiceAccount>('ServiceAccount', 'default', 'team-a');
    await client.delete('ServiceAccount', 'default', 'team-a');
    await eventually(async () => (await client.get<ServiceAccount>('ServiceAccount', 'default', 'team-a')).metadata.uid !== before.metadata.uid, 20_000, 'the default ServiceAccount created again');
  });

  it('refuses a legacy Deployment apiVersion with the way forward, writing nothing', async () => {
    const legacy = {
      apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'old' },
      spec: { selector: { matchLabels: { app: 'old' } }, template: { metadata: { labels: { app: 'old' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
    };
    await assert.rejects(client.apply([legacy as unknown as ServiceAccount]), (e: unknown) =>
      isKiteError(e, 'Invalid') && /apiVersion: extensions\/v1beta1 Deployment is no longer served; use apps\/v1 Deployment/.test(e.message));
    assert.equal((await client.list('Deployment', { namespace: 'default' })).items.length, 0);
  });
});
