import { Etcd3 } from 'etcd3';
import { startEtcd } from '../test/harness/etcd';
(async () => {
  const e = await startEtcd();
  const c = new Etcd3({ hosts: e.endpoint });
  for (let i = 0; i < 5; i++) await c.put('/a/' + i).value('x');
  const rev = (await c.get('/x').exec()).header.revision;
  await c.kv.compact({ revision: rev, physical: true });
  const w = await c.watch().prefix('/a/').startRevision('2').create();
  console.log('created');
  w.on('error', (err) => console.log('error', err.constructor.name, JSON.stringify(err.message)));
  w.on('data', (d) => console.log('data', d));
  w.on('end', () => console.log('end'));
  await new Promise((r) => setTimeout(r, 1500));
  c.close(); await e.stop();
})();
