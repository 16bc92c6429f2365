import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../common/clock';
import { KeyRing, isSealed, sealedKeyId, type KeyFile } from '../../../controller/security/keyring';

describe('KeyRing', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kite-keyring-'));
    file = join(dir, 'keys', 'encryption-keys.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const readFile = () => JSON.parse(readFileSync(file, 'utf8')) as KeyFile;

  it('creates a private key file with one 32-byte key on first use', () => {
    const ring = KeyRing.loadOrCreate(file, new FakeClock());
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'keys')).mode & 0o777, 0o700);
    const f = readFile();
    assert.equal(f.keys.length, 1);
    assert.equal(f.primary, f.keys[0]!.id);
    assert.equal(ring.primaryId, f.primary);
    assert.equal(Buffer.from(f.keys[0]!.secret, 'base64').length, 32);
    assert.equal(f.keys[0]!.created, '2026-01-01T00:00:00Z');
    // Loading again reads the same key instead of making a new one.
    assert.equal(KeyRing.loadOrCreate(file).primaryId, f.primary);
  });

  it('seals with AES-256-GCM under the primary key id and opens the same bytes', () => {
    const ring = KeyRing.loadOrCreate(file);
    const sealed = ring.seal(Buffer.from('hunter2'), '/kite/registry/secrets/default/db');
    assert.ok(isSealed(sealed));
    assert.match(sealed, new RegExp(`^kite:enc:aes256gcm:v1:${ring.primaryId}:[A-Za-z0-9+/=]+$`));
    assert.equal(sealedKeyId(sealed), ring.primaryId);
    assert.ok(!sealed.includes('hunter2') && !sealed.includes(Buffer.from('hunter2').toString('base64')));
    // nonce (12) + ciphertext (7) + tag (16)
    assert.equal(Buffer.from(sealed.split(':').pop()!, 'base64').length, 12 + 7 + 16);
    assert.equal(ring.open(sealed, '/kite/registry/secrets/default/db').toString(), 'hunter2');
    // A fresh nonce each time.
    assert.notEqual(ring.seal(Buffer.from('hunter2'), 'k'), ring.seal(Buffer.from('hunter2'), 'k'));
  });

  it('refuses to open a value under another etcd key (AAD mismatch)', () => {
    const ring = KeyRing.loadOrCreate(file);
    const sealed = ring.seal(Buffer.from('hunter2'), '/kite/registry/secrets/a/db');
    assert.throws(() => ring.open(sealed, '/kite/registry/secrets/b/db'), (e: Error) => {
      assert.match(e.message, /\/kite\/registry\/secrets\/b\/db does not decrypt/);
      assert.ok(!e.message.includes('hunter2'));
      return true;
    });
  });

  it('refuses a tampered ciphertext', () => {
    const ring = KeyRing.loadOrCreate(file);
    const sealed = ring.seal(Buffer.from('hunter2 and more'), 'k');
    const head = sealed.slice(0, sealed.lastIndexOf(':') + 1);
    const body = Buffer.from(sealed.slice(head.length), 'base64');
    body[14] = body[14]! ^ 1; // a ciphertext byte
    assert.throws(() => ring.open(head + body.toString('base64'), 'k'), /altered/);
    const truncated = head + body.subarray(0, 20).toString('base64');
    assert.throws(() => ring.open(truncated, 'k'), /malformed/);
  });

  it('names the unknown key id and the file, after re-reading the file once', () => {
    const ring = KeyRing.loadOrCreate(file);
    const other = KeyRing.loadOrCreate(join(dir, 'other.json'));
    const sealed = other.seal(Buffer.from('hunter2'), 'k');
    assert.throws(() => ring.open(sealed, 'k'), (e: Error) => {
      assert.ok(e.message.includes(`key "${other.primaryId}"`), e.message);
      assert.ok(e.message.includes(file), e.message);
      assert.ok(!e.message.includes('hunter2'));
      return true;
    });
  });

  it('opens a value sealed under a key another process added to the file since', () => {
    const ring = KeyRing.loadOrCreate(file);
    const rotator = KeyRing.loadOrCreate(file);
    const newId = rotator.rotate();
    const sealed = rotator.seal(Buffer.from('after rotation'), 'k');
    assert.equal(sealedKeyId(sealed), newId);
    assert.equal(ring.open(sealed, 'k').toString(), 'after rotation');
  });

  it('picks up a new primary written by another process for new values', () => {
    const clock = new FakeClock();
    const ring = KeyRing.loadOrCreate(file, clock);
    const first = ring.primaryId;
    const newId = KeyRing.loadOrCreate(file).rotate();
    assert.equal(sealedKeyId(ring.seal(Buffer.from('x'), 'k')), first, 'not looked at again within the refresh interval');
    clock.advance(6_000);
    assert.equal(sealedKeyId(ring.seal(Buffer.from('x'), 'k')), newId);
  });

  it('rotate adds a primary key and keeps the old ones readable', () => {
    const ring = KeyRing.loadOrCreate(file);
    const old = ring.primaryId;
    const before = ring.seal(Buffer.from('old value'), 'k');
    const next = ring.rotate();
    assert.notEqual(next, old);
    assert.equal(ring.primaryId, next);
    assert.deepEqual(readFile().keys.map((k) => k.id), [old, next]);
    assert.equal(readFile().primary, next);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(ring.open(before, 'k').toString(), 'old value');
    assert.equal(sealedKeyId(ring.seal(Buffer.from('new'), 'k')), next);
  });

  it('a rotation in progress is resumed with the same key, and finished once', () => {
    const ring = KeyRing.loadOrCreate(file);
    const to = ring.beginRotation();
    assert.equal(readFile().rotation?.to, to);
    // A crashed run started again: same key, no new one.
    const again = KeyRing.loadOrCreate(file).beginRotation();
    assert.equal(again, to);
    assert.equal(readFile().keys.length, 2);
    ring.finishRotation(to);
    assert.equal(readFile().rotation, undefined);
    assert.notEqual(KeyRing.loadOrCreate(file).beginRotation(), to);
    assert.equal(readFile().keys.length, 3);
  });

  it('refuses a key file that group or others can read, naming the file and the mode', () => {
    KeyRing.loadOrCreate(file);
    chmodSync(file, 0o644);
    assert.throws(() => KeyRing.loadOrCreate(file), (e: Error) => {
      assert.ok(e.message.includes(file));
      assert.match(e.message, /group or others \(mode 0644\)/);
      return true;
    });
  });

  const malformed: [string, unknown, RegExp][] = [
    ['not JSON', 'nope', /not valid JSON/],
    ['no keys', { primary: 'a', keys: [] }, /"keys" must be a non-empty list/],
    ['short key', { primary: 'a', keys: [{ id: 'a', created: 'x', secret: Buffer.alloc(16).toString('base64') }] }, /keys\[0\]\.secret must be 32 bytes/],
    ['unknown primary', { primary: 'b', keys: [{ id: 'a', created: 'x', secret: Buffer.alloc(32).toString('base64') }] }, /"primary" must be the id/],
    ['bad id', { primary: 'a:b', keys: [{ id: 'a:b', created: 'x', secret: Buffer.alloc(32).toString('base64') }] }, /keys\[0\]\.id/],
  ];
  for (const [what, content, why] of malformed) {
    it(`refuses a malformed key file (${what}) without printing key material`, () => {
      writeFileSync(file.replace('keys/', ''), typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
      assert.throws(() => KeyRing.loadOrCreate(file.replace('keys/', '')), (e: Error) => {
        assert.match(e.message, why);
        assert.ok(e.message.includes(file.replace('keys/', '')));
        assert.ok(!e.message.includes('AAAAAAAA'));
        return true;
      });
    });
  }
});
