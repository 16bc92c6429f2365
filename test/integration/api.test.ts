// The Kite API over real gRPC, against a real controller process on a real etcd.
import assert from 'node:assert/strict';
import { Etcd3 } from 'etcd3';
import type { ConfigMap, Deployment, KObject, Namespace, Pod, ReplicaSet } from '../../common/api/types';
import type { KiteClient, WatchedEvent } from '../../common/client';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, eventually, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';
import { rejects } from '../harness/assertions';

const PREFIX = '/kite-it-api';

function configMap(name: string, data: Record<string, string> = { k: 'v' }, labels?: Record<string, string>, namespace?: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

function namespace(name: string): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function deployment(name: string, replicas = 1): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } },
    },
  } as Deployment;
}


/** Reads `count` events from a watch, then stops it. */
async function take(client: KiteClient, kind: string, resourceVersion: string, count: number, ms = 10_000): Promise<WatchedEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  const out: WatchedEvent[] = [];
  try {
    for await (const ev of client.watch(kind, { resourceVersion }, abort.signal)) {
      if (ev.type === 'BOOKMARK') continue;
      out.push(ev);
      if (out.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return out;
}

describe('Kite API (integration: etcd + controller)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let client: KiteClient;

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    // History from before the controller started: older than its in-memory event ring, so a watch
    // from there is served by etcd itself (and fails with Gone once etcd has compacted it).
    const raw = new Etcd3({ hosts: etcd.endpoint });
    try {
      for (let i = 0; i < 5; i++) await raw.put(`/unrelated/${i}`).value('x');
    } finally {
      raw.close();
    }
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'api-it', leaderTtlSeconds: 2 });
    client = ctl.client;
  });

  after(async () => {
    await ctl?.stop();
    await etcd?.stop();
  });

  describe('apply', () => {
    it('answers created, then unchanged, then configured', async () => {
      const first = await client.apply([configMap('apply-a', { a: '1' })]);
      assert.equal(first.results[0]?.action, 'created');
      const again = await client.apply([configMap('apply-a', { a: '1' })]);
      assert.equal(again.results[0]?.action, 'unchanged');
      assert.equal(again.results[0]?.resource_version, first.results[0]?.resource_version);
      const changed = await client.apply([configMap('apply-a', { a: '2' })]);
      assert.equal(changed.results[0]?.action, 'configured');
      assert.equal((await client.get<ConfigMap>('ConfigMap', 'apply-a')).data?.a, '2');
    });

    it('treats the same object with its keys in another order as unchanged', async () => {
      await client.apply([deployment('reorder')]);
      const d = deployment('reorder');
      const reordered = JSON.parse(
        JSON.stringify({ spec: { template: { spec: d.spec.template.spec, metadata: d.spec.template.metadata }, selector: d.spec.selector, replicas: 1 }, metadata: d.metadata, kind: d.kind, apiVersion: d.apiVersion }),
      ) as KObject;
      const res = await client.apply([reordered]);
      assert.equal(res.results[0]?.action, 'unchanged');
    });

    it('sets uid, creationTimestamp, generation and resourceVersion on the server', async () => {
      const obj = configMap('server-fields');
      obj.metadata.uid = 'client-chosen';
      await client.apply([obj]);
      const got = await client.get('ConfigMap', 'server-fields');
      assert.match(got.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
      assert.notEqual(got.metadata.uid, 'client-chosen');
      assert.match(got.metadata.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(Math.abs(Date.parse(got.metadata.creationTimestamp!) - Date.now()) < 60_000);
      assert.equal(got.metadata.namespace, 'default');
      assert.equal(got.metadata.generation, 1);
      assert.match(got.metadata.resourceVersion ?? '', /^\d+$/);
    });

    it('raises generation when the spec changes, but not for a label change', async () => {
      await client.apply([deployment('gen')]);
      const g1 = await client.get<Deployment>('Deployment', 'gen');
      assert.equal(g1.metadata.generation, 1);
      const relabelled = deployment('gen');
      relabelled.metadata.labels = { app: 'gen', tier: 'web' };
      assert.equal((await client.apply([relabelled])).results[0]?.action, 'configured');
      const g2 = await client.get<Deployment>('Deployment', 'gen');
      assert.equal(g2.metadata.generation, 1);
      assert.equal(g2.metadata.labels?.tier, 'web');
      assert.equal(g2.metadata.uid, g1.metadata.uid);
      const scaled = deployment('gen', 3);
      scaled.metadata.labels = { app: 'gen', tier: 'web' };
      await client.apply([scaled]);
      const g3 = await client.get<Deployment>('Deployment', 'gen');
      assert.equal(g3.metadata.generation, 2);
      assert.equal(g3.spec.replicas, 3);
    });

    it('writes nothing when one object of the batch is invalid', async () => {
      const bad = configMap('Not_A_Name');
      await rejects(client.apply([configMap('batch-ok'), bad]), 'Invalid');
      await rejects(client.get('ConfigMap', 'batch-ok'), 'NotFound');
    });
  });

  describe('get, list and delete', () => {
    before(async () => {
      await client.apply([
        namespace('ns-one'),
        namespace('ns-two'),
        configMap('list-a', { x: '1' }, { team: 'red' }, 'ns-one'),
        configMap('list-b', { x: '1' }, { team: 'blue' }, 'ns-one'),
        configMap('list-c', { x: '1' }, { team: 'red' }, 'ns-two'),
      ]);
    });

    it('lists one namespace, all namespaces, and by label selector', async () => {
      const one = await client.list('ConfigMap', { namespace: 'ns-one' });
      assert.deepEqual(one.items.map((o) => o.metadata.name).sort(), ['list-a', 'list-b']);
      const all = await client.list('ConfigMap', { allNamespaces: true });
      const names = all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
      for (const n of ['ns-one/list-a', 'ns-one/list-b', 'ns-two/list-c']) assert.ok(names.includes(n), `${n} missing from ${names.join(',')}`);
      const red = await client.list('ConfigMap', { allNamespaces: true, labelSelector: 'team=red' });
      assert.deepEqual(red.items.map((o) => o.metadata.name).sort(), ['list-a', 'list-c']);
      const notRed = await client.list('ConfigMap', { namespace: 'ns-one', labelSelector: 'team!=red' });
      assert.deepEqual(notRed.items.map((o) => o.metadata.name), ['list-b']);
      assert.match(all.resourceVersion, /^\d+$/);
    });

    it('gets an object by name and namespace', async () => {
      const got = await client.get<ConfigMap>('ConfigMap', 'list-c', 'ns-two');
      assert.equal(got.metadata.labels?.team, 'red');
      await rejects(client.get('ConfigMap', 'list-c', 'ns-one'), 'NotFound');
    });

    it('answers NotFound for a missing object, with its name in the message', async () => {
      const e = await rejects(client.get('Deployment', 'does-not-exist'), 'NotFound');
      assert.match(e.message, /does-not-exist/);
      await rejects(client.delete('ConfigMap', 'does-not-exist'), 'NotFound');
    });

    it('deletes an object, which then is gone from get and list', async () => {
      await client.apply([configMap('doomed')]);
      const deleted = await client.delete('ConfigMap', 'doomed');
      assert.equal(deleted.metadata.name, 'doomed');
      await rejects(client.get('ConfigMap', 'doomed'), 'NotFound');
      const left = await client.list('ConfigMap');
      assert.ok(!left.items.some((o) => o.metadata.name === 'doomed'));
    });
  });

  describe('optimistic concurrency', () => {
    it('refuses an update with a stale resourceVersion with Conflict, and writes nothing', async () => {
      await client.apply([configMap('occ', { v: '1' })]);
      const stale = await client.get<ConfigMap>('ConfigMap', 'occ');
      const fresh = await client.update<ConfigMap>({ ...stale, data: { v: '2' } });
      assert.notEqual(fresh.metadata.resourceVersion, stale.metadata.resourceVersion);
      const e = await rejects(client.update<ConfigMap>({ ...stale, data: { v: 'lost-update' } }), 'Conflict');
      assert.match(e.message, /modified|stale/);
      const now = await client.get<ConfigMap>('ConfigMap', 'occ');
      assert.equal(now.data?.v, '2');
      assert.equal(now.metadata.resourceVersion, fresh.metadata.resourceVersion);
    });

    it('refuses a delete with a stale resourceVersion', async () => {
      await client.apply([configMap('occ-del', { v: '1' })]);
      const stale = await client.get<ConfigMap>('ConfigMap', 'occ-del');
      await client.update<ConfigMap>({ ...stale, data: { v: '2' } });
      await rejects(client.delete('ConfigMap', 'occ-del', 'default', { resourceVersion: stale.metadata.resourceVersion }), 'Conflict');
      assert.equal((await client.get<ConfigMap>('ConfigMap', 'occ-del')).data?.v, '2');
    });
  });

  describe('status writes', () => {
    it('replace status only, and refuse a malformed status without writing', async () => {
      const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'status-w', namespace: 'default' }, spec: { nodeName: 'nowhere', containers: [{ name: 'c', image: 'busybox:1' }] } };
      await client.apply([pod]);
      const before = await client.get<Pod>('Pod', 'status-w');
      const written = await client.updateStatus<Pod>({ ...before, spec: { ...before.spec, nodeName: 'changed' }, status: { phase: 'Running' } });
      assert.equal(written.status?.phase, 'Running');
      assert.equal(written.spec.nodeName, 'nowhere', 'a status write leaves spec alone');
      assert.equal(written.metadata.generation, before.metadata.generation);
      const e = await rejects(client.updateStatus({ ...written, status: { phase: 'Exploded' } } as unknown as Pod), 'Invalid');
      assert.match(e.message, /status.phase/);
      await rejects(client.updateStatus({ ...written, status: 'garbage' } as unknown as Pod), 'Invalid');
      assert.equal((await client.get<Pod>('Pod', 'status-w')).status?.phase, 'Running');
    });
  });

  describe('garbage collection', () => {
    it('deleting a Deployment deletes its ReplicaSets and Pods', async () => {
      await client.apply([deployment('cascade', 0)]);
      const d = await client.get<Deployment>('Deployment', 'cascade');
      const rs: ReplicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'cascade-manual',
          labels: { app: 'cascade', extra: 'manual' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'cascade', uid: d.metadata.uid!, controller: true }],
        },
        spec: { replicas: 0, selector: { matchLabels: { app: 'cascade', extra: 'manual' } }, template: { metadata: { labels: { app: 'cascade', extra: 'manual' } }, spec: d.spec.template.spec } },
      } as ReplicaSet;
      await client.apply([rs]);
      const rsObj = await client.get<ReplicaSet>('ReplicaSet', 'cascade-manual');
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'cascade-manual-pod',
          labels: { app: 'cascade-orphan-check' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cascade-manual', uid: rsObj.metadata.uid!, controller: true }],
        },
        spec: { containers: [{ name: 'main', image: 'busybox:1' }] },
      } as Pod;
      await client.apply([pod]);
      const bystander = configMap('cascade-bystander');
      await client.apply([bystander]);

      await client.delete('Deployment', 'cascade');
      await eventually(
        async () => {
          const sets = (await client.list<ReplicaSet>('ReplicaSet')).items.filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid));
          const pods = (await client.list<Pod>('Pod')).items.filter((p) => p.metadata.name === 'cascade-manual-pod');
          return sets.length === 0 && pods.length === 0;
        },
        10_000,
        'the ReplicaSet and Pod of the deleted Deployment to be deleted',
      );
      await client.get('ConfigMap', 'cascade-bystander');
    });
  });

  describe('watch', () => {
    it('from a resourceVersion delivers the later events, in order', async () => {
      const start = (await client.list('ConfigMap')).resourceVersion;
      await client.apply([configMap('w-1')]);
      await client.apply([configMap('w-1', { k: 'changed' })]);
      await client.delete('ConfigMap', 'w-1');
      await client.apply([configMap('w-2')]);
      const events = await take(client, 'ConfigMap', start, 4);
      assert.deepEqual(
        events.map((e) => `${e.type} ${e.object?.metadata.name}`),
        ['ADDED w-1', 'MODIFIED w-1', 'DELETED w-1', 'ADDED w-2'],
      );
      const rvs = events.map((e) => Number(e.resourceVersion));
      assert.deepEqual([...rvs].sort((a, b) => a - b), rvs);
      assert.ok(rvs[0]! > Number(start));
    });

    it('resumes after a dropped stream: every event exactly once', async () => {
      await client.apply([namespace('resume')]);
      const start = (await client.list('ConfigMap', { namespace: 'resume' })).resourceVersion;
      const seen: WatchedEvent[] = [];
      const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r-${from + i}`);
      const write = async (list: string[]) => {
        for (const n of list) await client.apply([configMap(n, { k: 'v' }, undefined, 'resume')]);
      };

      // First stream: sees r-0..r-4 live, then is cancelled.
      const first = new AbortController();
      const firstDone = (async () => {
        for await (const ev of client.watch('ConfigMap', { namespace: 'resume', resourceVersion: start }, first.signal)) {
          if (ev.type === 'BOOKMARK') continue;
          seen.push(ev);
          if (seen.length === 5) first.abort();
        }
      })();
      await write(names(0, 5));
      await firstDone;
      assert.equal(seen.length, 5);

      // Written while nobody watches.
      await write(names(5, 12));
      const last = seen[seen.length - 1]!.resourceVersion;
      const resumed = await (async () => {
        const abort = new AbortController();
        const out: WatchedEvent[] = [];
        const done = (async () => {
          for await (const ev of client.watch('ConfigMap', { namespace: 'resume', resourceVersion: last }, abort.signal)) {
            if (ev.type === 'BOOKMARK') continue;
            out.push(ev);
            if (out.length === 10) abort.abort();
          }
        })();
        await write(names(12, 15));
        await eventually(() => out.length >= 10, 10_000, 'the resumed watch to catch up');
        // A short grace period: a repeated event would show up here.
        await new Promise((r) => setTimeout(r, 300));
        abort.abort();
        await done;
        return out;
      })();
      const all = [...seen, ...resumed].map((e) => e.object?.metadata.name);
      assert.deepEqual(all, names(0, 15));
      assert.ok(resumed.every((e) => e.type === 'ADDED'));
    });

    it('answers Gone for a resourceVersion that etcd has compacted away', async () => {
      const old = (await client.list('ConfigMap')).resourceVersion;
      await client.apply([configMap('compact-1')]);
      await client.apply([configMap('compact-2')]);
      const raw = new Etcd3({ hosts: etcd!.endpoint });
      try {
        const rev = (await raw.get('/nothing').exec()).header.revision;
        await raw.kv.compact({ revision: rev, physical: true });
      } finally {
        raw.close();
      }
      // Revision 2 predates the controller, so its ring cannot serve it either.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 10_000);
      try {
        const it = client.watch('ConfigMap', { resourceVersion: '2' }, abort.signal)[Symbol.asyncIterator]();
        const e = await rejects(it.next(), 'Gone');
        assert.match(e.message, /too old|compacted/);
      } finally {
        clearTimeout(timer);
        abort.abort();
      }
      // A recent resourceVersion still works.
      const events = await take(client, 'ConfigMap', old, 2);
      assert.deepEqual(events.map((e) => e.object?.metadata.name), ['compact-1', 'compact-2']);
    });
  });

  describe('etcd outage', () => {
    it('answers Unavailable while etcd is down, and works again after it is back with nothing lost', async () => {
      await client.apply([configMap('survivor', { v: 'kept' })]);
      await etcd!.pause();
      try {
        const e = await rejects(client.get('ConfigMap', 'survivor'), 'Unavailable');
        assert.match(e.message, /etcd/);
        await rejects(client.apply([configMap('during-outage')]), 'Unavailable');
        await rejects(client.list('ConfigMap'), 'Unavailable');
      } finally {
        await etcd!.restart();
      }
      const back = await eventually(() => client.get<ConfigMap>('ConfigMap', 'survivor').catch(() => undefined), 20_000, 'the API to answer again');
      assert.equal(back.data?.v, 'kept');
      await rejects(client.get('ConfigMap', 'during-outage'), 'NotFound');
      assert.equal((await client.apply([configMap('after-outage')])).results[0]?.action, 'created');
    });
  });
});
