// No Secret value in an error message: validation names the key and the problem, never the value.
import assert from 'node:assert/strict';
import { validateObject } from '../../../common/manifest/validate';

describe('Secret values stay out of validation errors', () => {
  it('a value that is not base64 is refused naming its key, without echoing it', () => {
    const r = validateObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'hunter2 is not base64!' } });
    const e = r.errors.find((x) => x.path === 'data.password');
    assert.ok(e, JSON.stringify(r.errors));
    assert.match(e.message, /must be base64-encoded/);
    assert.ok(!JSON.stringify(r.errors).includes('hunter2'));
  });

  it('a stringData value of the wrong type names the type, not the value', () => {
    const r = validateObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { pin: 918273, nested: { deep: 'hunter2' } } });
    assert.deepEqual(
      r.errors.map((e) => [e.path, e.message]),
      [
        ['stringData.pin', 'must be a string, got number'],
        ['stringData.nested', 'must be a string, got object'],
      ],
    );
  });

  it('other kinds still quote the bad value (the change is for Secrets only)', () => {
    const r = validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { b: 'not base64!' } });
    assert.match(r.errors[0]?.message ?? '', /invalid value "not base64!"/);
  });
});
