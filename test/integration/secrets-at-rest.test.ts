// Secrets encrypted at rest: an EtcdStore with a keyring on a real etcd, read back both through
// the store and straight from etcd.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import type { Secret } from '../../common/api/types';
import { silentLogger } from '../../common/log';
import { KeyRing, isSealed, sealedKeyId, type KeyFile } from '../../controller/security/keyring';
import { rotateSecretKeys } from '../../controller/security/rotate-keys';
import { EtcdStore } from '../../controller/store/etcd-store';
import { KeyLayout } from '../../controller/store/keys';
import type { StoreEvent } from '../../controller/store/types';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { requireCommand } from '../harness/require';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function secret(name: string, values: Record<string, string>, namespace = 'default'): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])) };
}

describe('Secrets encrypted at rest (integration: etcd)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let raw: Etcd3;
  let store: EtcdStore;
  let dir: string;
  let keysFile: string;
  const keys = new KeyLayout('/kite-it-secrets');
  /** Every plaintext value written in this suite: none may ever be found in etcd. */
  const plaintexts = new Set<string>();

  const remember = (values: Record<string, string>) => {
    for (const v of Object.values(values)) plaintexts.add(v);
    return values;
  };

  /** Every stored Secret value, straight from etcd. */
  async function storedSecrets(): Promise<Map<string, string>> {
    const res = await raw.getAll().prefix(keys.kindPrefix('Secret')).exec();
    return new Map(res.kvs.map((kv) => [kv.key.toString(), kv.value.toString('utf8')]));
  }

  async function assertNoPlaintextInEtcd(): Promise<void> {
    const all = await raw.getAll().prefix(keys.prefix + '/').exec();
    for (const kv of all.kvs) {
      const text = kv.value.toString('utf8');
      for (const p of plaintexts) {
        assert.ok(!text.includes(p), `plaintext of a Secret value found at ${kv.key.toString()}`);
        assert.ok(!text.includes(b64(p)), `base64 of a Secret value found at ${kv.key.toString()}`);
      }
    }
  }

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    dir = mkdtempSync(join(tmpdir(), 'kite-it-keys-'));
    keysFile = join(dir, 'encryption-keys.json');
    raw = new Etcd3({ hosts: [etcd.endpoint] });
    store = new EtcdStore({ client: new Etcd3({ hosts: [etcd.endpoint] }), keys, keyring: KeyRing.loadOrCreate(keysFile) });
    await store.hub.start();
  });
  after(async () => {
    await store?.close();
    raw?.close();
    await etcd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores Secrets sealed on every write path and reads them back in plain text', async () => {
    const primary = KeyRing.loadOrCreate(keysFile).primaryId;
    await store.create(secret('db', remember({ password: 'correct-horse-battery', user: 'admin-db-user' })));
    const many = await store.createMany([secret('a', remember({ token: 'token-aaaa-1111' })), secret('b', remember({ token: 'token-bbbb-2222' }))]);
    for (const r of many) assert.ok(!(r instanceof Error), String(r));
    await store.update({ ...secret('db', remember({ password: 'correct-horse-staple' })) });
    const [a] = await store.updateMany([many[0] as Secret], 'spec');
    assert.ok(!(a instanceof Error), String(a));
    // A finalizer turns the delete into a write (deletionTimestamp): still sealed.
    await store.create({ ...secret('held', remember({ key: 'held-secret-value' })), metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] } });
    const marked = await store.delete('Secret', 'default', 'held');
    assert.equal(marked.removed, false);

    const stored = await storedSecrets();
    assert.equal(stored.size, 4);
    for (const [key, value] of stored) {
      assert.ok(isSealed(value), `${key} is stored in plain text`);
      assert.equal(sealedKeyId(value), primary);
    }
    await assertNoPlaintextInEtcd();

    const db = await store.get<Secret>('Secret', 'default', 'db');
    assert.equal(db?.data?.password, b64('correct-horse-staple'));
    assert.ok(db?.metadata.resourceVersion);
    const list = await store.list<Secret>('Secret', { namespace: 'default' });
    assert.deepEqual(list.items.map((s) => s.metadata.name).sort(), ['a', 'b', 'db', 'held']);
    assert.equal(list.items.find((s) => s.metadata.name === 'b')?.data?.token, b64('token-bbbb-2222'));
    assert.ok(list.items.find((s) => s.metadata.name === 'held')?.metadata.deletionTimestamp);
  });

  it('watch events (from the shared watch and from history) carry the plain object and its previous version', async () => {
    const from = await store.revision();
    const ac = new AbortController();
    const live = collect(store.watch('Secret', { resourceVersion: from, namespace: 'w' }, ac.signal), 3);
    // History older than the hub's start: a private etcd watch with prev_kv.
    const old = collect(store.watch('Secret', { resourceVersion: '1', namespace: 'w' }, ac.signal), 3);
    await store.create(secret('watched', remember({ v: 'first-watched-value' }), 'w'));
    await store.update(secret('watched', remember({ v: 'second-watched-value' }), 'w'));
    await store.delete('Secret', 'w', 'watched');
    for (const events of [await live, await old]) {
      assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
      assert.equal((events[0]!.object as Secret).data?.v, b64('first-watched-value'));
      assert.equal((events[1]!.object as Secret).data?.v, b64('second-watched-value'));
      assert.equal((events[1]!.previous as Secret | undefined)?.data?.v, b64('first-watched-value'));
      assert.equal((events[2]!.object as Secret).data?.v, b64('second-watched-value'));
    }
    ac.abort();
    await assertNoPlaintextInEtcd();
  });

  it('reads a Secret stored in plain text by an older cluster and seals it on its next write', async () => {
    const key = keys.object('Secret', 'default', 'legacy');
    // Not in `plaintexts`: this one is plain in etcd until it is written again.
    await raw.put(key).value(JSON.stringify(secret('legacy', { old: 'legacy-plain-value' })));
    assert.equal((await store.get<Secret>('Secret', 'default', 'legacy'))?.data?.old, b64('legacy-plain-value'));
    await store.update(secret('legacy', remember({ old: 'legacy-plain-value' })));
    assert.ok(isSealed((await raw.get(key).string())!));
    await assertNoPlaintextInEtcd();
  });

  it('rotation re-encrypts every value under the new key, seals plain ones, and everything stays readable', async () => {
    const plainKey = keys.object('Secret', 'default', 'legacy2');
    await raw.put(plainKey).value(JSON.stringify(secret('legacy2', { old: 'legacy2-plain-value' })));
    plaintexts.add('legacy2-plain-value');
    const before = (await store.list<Secret>('Secret')).items;
    const rotator = KeyRing.loadOrCreate(keysFile);
    const oldPrimary = rotator.primaryId;
    // The cluster CA's private key is sealed too, outside the registry.
    await raw.put(keys.clusterCaKey).value(rotator.seal(Buffer.from('ca-private-key-pem'), keys.clusterCaKey));
    const report = await rotateSecretKeys({ client: raw, keys, keyring: rotator, log: silentLogger, pageSize: 2 });
    const caKey = (await raw.get(keys.clusterCaKey).string())!;
    assert.equal(sealedKeyId(caKey), report.keyId);
    assert.equal(KeyRing.loadOrCreate(keysFile).open(caKey, keys.clusterCaKey).toString(), 'ca-private-key-pem');
    assert.notEqual(report.keyId, oldPrimary);
    assert.equal(report.resumed, false);
    assert.equal(report.reencrypted, before.length + 1);
    assert.equal(report.scanned, before.length + 1);
    for (const [key, value] of await storedSecrets()) assert.equal(sealedKeyId(value), report.keyId, `${key} is not under the new key`);
    await assertNoPlaintextInEtcd();
    const file = JSON.parse(readFileSync(keysFile, 'utf8')) as KeyFile;
    assert.deepEqual(file.keys.map((k) => k.id), [oldPrimary, report.keyId], 'the old key stays');
    assert.equal(file.rotation, undefined);
    // The store's own keyring read the file before the rotation: it finds the new key by itself.
    const after = (await store.list<Secret>('Secret')).items;
    assert.deepEqual(
      after.map((s) => [s.metadata.name, s.data]).sort(),
      before.map((s) => [s.metadata.name, s.data]).sort(),
    );
  });

  it('a rotation interrupted midway resumes with the same new key', async () => {
    for (let i = 0; i < 6; i++) await store.create(secret(`r${i}`, remember({ v: `resumable-value-${i}` }), 'rot'));
    const total = (await storedSecrets()).size + 1; // and the CA key the previous test sealed
    const rotator = KeyRing.loadOrCreate(keysFile);
    let done = 0;
    await assert.rejects(
      rotateSecretKeys({
        client: raw,
        keys,
        keyring: rotator,
        log: silentLogger,
        onProgress: () => {
          if (++done === 3) throw new Error('simulated crash');
        },
      }),
      /simulated crash/,
    );
    const midway = JSON.parse(readFileSync(keysFile, 'utf8')) as KeyFile;
    const target = midway.rotation?.to;
    assert.ok(target, 'the rotation in progress is recorded');
    const underTarget = [...(await storedSecrets()).values()].filter((v) => sealedKeyId(v) === target).length;
    assert.equal(underTarget, 3);

    // A fresh process (a new KeyRing on the same file) picks it up again.
    const report = await rotateSecretKeys({ client: raw, keys, keyring: KeyRing.loadOrCreate(keysFile), log: silentLogger });
    assert.equal(report.keyId, target);
    assert.equal(report.resumed, true);
    assert.equal(report.alreadyCurrent, 3);
    assert.equal(report.reencrypted, total - 3);
    const file = JSON.parse(readFileSync(keysFile, 'utf8')) as KeyFile;
    assert.equal(file.keys.length, midway.keys.length, 'no further key was added');
    assert.equal(file.rotation, undefined);
    for (const [key, value] of await storedSecrets()) assert.equal(sealedKeyId(value), target, `${key} is not under the new key`);
    for (let i = 0; i < 6; i++) assert.equal((await store.get<Secret>('Secret', 'rot', `r${i}`))?.data?.v, b64(`resumable-value-${i}`));
    await assertNoPlaintextInEtcd();
  });

  it('a write racing the rotation is not lost', async () => {
    await store.create(secret('racy', remember({ v: 'racy-before' }), 'race'));
    let raced = false;
    // The client rotation uses, except that the first compare-and-swap finds the Secret changed
    // by a write that landed after the rotation read it.
    const racing = Object.create(raw) as Etcd3;
    racing.if = (...args: Parameters<Etcd3['if']>) => {
      const cmp = raw.if(...args);
      const commit = cmp.commit.bind(cmp);
      cmp.commit = async () => {
        if (!raced && String(args[0]) === keys.object('Secret', 'race', 'racy')) {
          raced = true;
          await store.update(secret('racy', remember({ v: 'racy-after' }), 'race'));
        }
        return commit();
      };
      return cmp;
    };
    const report = await rotateSecretKeys({ client: racing, keys, keyring: KeyRing.loadOrCreate(keysFile), log: silentLogger });
    assert.ok(raced);
    assert.equal(report.retried, 1);
    assert.equal((await store.get<Secret>('Secret', 'race', 'racy'))?.data?.v, b64('racy-after'));
    for (const [k, value] of await storedSecrets()) assert.equal(sealedKeyId(value), report.keyId, `${k} is not under the new key`);
    await assertNoPlaintextInEtcd();
  });
});

async function collect(it: AsyncIterable<StoreEvent>, n: number): Promise<StoreEvent[]> {
  const out: StoreEvent[] = [];
  for await (const e of it) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}
