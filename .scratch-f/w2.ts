import { Etcd3 } from 'etcd3';
import { startEtcd } from '../test/harness/etcd';
import { EtcdStore } from '../controller/store/etcd-store';
import { KeyLayout } from '../controller/store/keys';
(async () => {
  const e = await startEtcd();
  const c = new Etcd3({ hosts: e.endpoint });
  for (let i = 0; i < 5; i++) await c.put('/a/' + i).value('x');
  const store = new EtcdStore({ client: c, keys: new KeyLayout('/p') });
  await store.hub.start();
  await store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} });
  const rev = (await c.get('/x').exec()).header.revision;
  await c.kv.compact({ revision: rev, physical: true });
  const ab = new AbortController();
  setTimeout(() => ab.abort(), 3000);
  try {
    for await (const ev of store.watch('ConfigMap', { resourceVersion: '2' }, ab.signal)) console.log('ev', ev.type);
    console.log('ended');
  } catch (err) { console.log('err', err); }
  await store.close(); await e.stop();
})();
