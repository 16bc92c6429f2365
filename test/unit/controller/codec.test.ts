import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Secret } from '../../../common/api/types';
import { decode, encode, isSealedValue, textSealer, type ValueSealer } from '../../../controller/store/codec';
import { KeyRing } from '../../../controller/security/keyring';

describe('store codec', () => {
  let dir: string;
  let sealer: ValueSealer;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kite-codec-'));
    sealer = textSealer(KeyRing.loadOrCreate(join(dir, 'keys.json')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const key = '/kite/registry/secrets/default/db';
  const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default', resourceVersion: '7' }, type: 'Opaque', data: { password: Buffer.from('hunter22').toString('base64') } };

  it('stores a Secret sealed: neither the value nor its base64 is in the stored form', () => {
    const stored = encode(secret, { sealer, key });
    assert.ok(isSealedValue(stored));
    assert.ok(!stored.includes('hunter22'));
    assert.ok(!stored.includes(secret.data!.password!));
    const back = decode<Secret>(Buffer.from(stored), '9', { sealer, key });
    assert.equal(back.data?.password, secret.data!.password);
    assert.equal(back.metadata.resourceVersion, '9');
  });

  it('leaves other kinds in plain JSON, without resourceVersion', () => {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '3' }, data: { a: 'b' } };
    const stored = encode(cm, { sealer, key: '/kite/registry/configmaps/default/c' });
    assert.ok(!isSealedValue(stored));
    assert.deepEqual(JSON.parse(stored), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
  });

  it('reads a Secret stored in plain JSON before encryption was on', () => {
    const plain = encode(secret);
    assert.ok(!isSealedValue(plain));
    assert.equal(decode<Secret>(plain, '4', { sealer, key }).data?.password, secret.data!.password);
  });

  it('refuses a sealed value moved to another key', () => {
    const stored = encode(secret, { sealer, key });
    assert.throws(() => decode(stored, '1', { sealer, key: '/kite/registry/secrets/default/other' }), /does not decrypt/);
  });

  it('says a sealed value needs the keys when the store has none', () => {
    const stored = encode(secret, { sealer, key });
    assert.throws(() => decode(stored, '1', { sealer: undefined, key }), /stored at \/kite\/registry\/secrets\/default\/db is encrypted .*--keys-file/);
  });

  it('never quotes stored content in a parse error', () => {
    const broken = '{"kind":"Secret","data":{"password":"hunter22"';
    assert.throws(() => decode(broken, '1', { sealer, key }), (e: Error) => {
      assert.match(e.message, /stored at \/kite\/registry\/secrets\/default\/db is not valid JSON/);
      assert.ok(!e.message.includes('hunter22'));
      return true;
    });
  });
});
