// JSON patch (RFC 6902) through fast-json-patch: each operation's effect, all-or-nothing
// application, and failures that say which operation failed where.
import { strict as assert } from 'node:assert';
import { isKiteError } from '../../../../common/errors';
import { applyJsonPatch } from '../../../../common/kube/patch/json-patch';

const DOC = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, ports: [80, 443] } };

describe('applyJsonPatch (RFC 6902)', () => {
  const cases: { name: string; ops: unknown[]; expected: unknown }[] = [
    { name: 'add a field', ops: [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }], expected: { ...DOC, metadata: { name: 'web', labels: { app: 'web', tier: 'front' } } } },
    { name: 'add into a list by index', ops: [{ op: 'add', path: '/spec/ports/1', value: 8080 }], expected: { ...DOC, spec: { replicas: 1, ports: [80, 8080, 443] } } },
    { name: 'add at the end of a list with -', ops: [{ op: 'add', path: '/spec/ports/-', value: 9090 }], expected: { ...DOC, spec: { replicas: 1, ports: [80, 443, 9090] } } },
    { name: 'remove a field', ops: [{ op: 'remove', path: '/metadata/labels' }], expected: { ...DOC, metadata: { name: 'web' } } },
    { name: 'replace a value', ops: [{ op: 'replace', path: '/spec/replicas', value: 3 }], expected: { ...DOC, spec: { replicas: 3, ports: [80, 443] } } },
    { name: 'move a value', ops: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' }], expected: { ...DOC, metadata: { name: 'web', labels: { name: 'web' } } } },
    { name: 'copy a value', ops: [{ op: 'copy', from: '/spec/replicas', path: '/spec/minReplicas' }], expected: { ...DOC, spec: { replicas: 1, ports: [80, 443], minReplicas: 1 } } },
    { name: 'a test that holds, then a change', ops: [{ op: 'test', path: '/spec/replicas', value: 1 }, { op: 'replace', path: '/spec/replicas', value: 2 }], expected: { ...DOC, spec: { replicas: 2, ports: [80, 443] } } },
    { name: 'a key with / and ~ escaped', ops: [{ op: 'add', path: '/metadata/labels/kite.io~1role~0x', value: 'a' }], expected: { ...DOC, metadata: { name: 'web', labels: { app: 'web', 'kite.io/role~x': 'a' } } } },
    { name: 'no operations', ops: [], expected: DOC },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(applyJsonPatch(DOC, c.ops), c.expected));
  }

  describe('refuses, naming the operation and its path', () => {
    const failures: { name: string; ops: unknown; message: RegExp }[] = [
      { name: 'a test that does not hold', ops: [{ op: 'add', path: '/a', value: 1 }, { op: 'test', path: '/spec/replicas', value: 5 }], message: /operation 1 \(test "\/spec\/replicas"\): the value there is not the one the test expects/ },
      { name: 'removing what is not there', ops: [{ op: 'remove', path: '/spec/paused' }], message: /operation 0 \(remove "\/spec\/paused"\): nothing is at that path/ },
      { name: 'replacing what is not there', ops: [{ op: 'replace', path: '/spec/paused', value: true }], message: /operation 0 \(replace "\/spec\/paused"\): nothing is at that path/ },
      { name: 'adding under a parent that does not exist', ops: [{ op: 'add', path: '/status/phase', value: 'x' }], message: /operation 0 \(add "\/status\/phase"\): the parent of that path does not exist/ },
      { name: 'an index past the end', ops: [{ op: 'add', path: '/spec/ports/7', value: 1 }], message: /operation 0 \(add "\/spec\/ports\/7"\): the index is past the end/ },
      { name: 'moving from nowhere', ops: [{ op: 'move', from: '/nope', path: '/a' }], message: /operation 0 \(move "\/a"\): nothing is at its "from" path/ },
      { name: 'an unknown op', ops: [{ op: 'merge', path: '/a', value: 1 }], message: /operation 0 \(merge "\/a"\): "op" must be add, remove/ },
      { name: 'a path that is not a pointer', ops: [{ op: 'add', path: 'spec', value: 1 }], message: /operation 0 \(add "spec"\): "path" must be a JSON pointer/ },
      { name: 'an add without a value', ops: [{ op: 'add', path: '/a' }], message: /operation 0 \(add "\/a"\): the operation needs a "value"/ },
      { name: 'an operation that is not an object', ops: [{ op: 'add', path: '/a', value: 1 }, 'remove /a'], message: /operation 1: must be an object/ },
      { name: 'an operation with no path', ops: [{ op: 'remove' }], message: /operation 0 \(remove with no path\)/ },
      { name: 'changing a prototype', ops: [{ op: 'add', path: '/__proto__/polluted', value: true }], message: /operation 0 \(add "\/__proto__\/polluted"\)/ },
      { name: 'a body that is not a list', ops: { op: 'add', path: '/a', value: 1 }, message: /the body must be a JSON list of operations/ },
    ];
    for (const c of failures) {
      it(c.name, () => {
        assert.throws(
          () => applyJsonPatch(DOC, c.ops),
          (e: unknown) => isKiteError(e, 'Invalid') && c.message.test(e.message),
        );
      });
    }
  });

  it('is all or nothing, and never changes its inputs', () => {
    const doc = structuredClone(DOC);
    const ops = [{ op: 'add', path: '/metadata/labels/x', value: { deep: 1 } }, { op: 'test', path: '/spec/replicas', value: 9 }];
    assert.throws(() => applyJsonPatch(doc, ops));
    assert.deepEqual(doc, DOC);
    const result = applyJsonPatch(doc, ops.slice(0, 1)) as { metadata: { labels: { x: { deep: number } } } };
    result.metadata.labels.x.deep = 2;
    assert.deepEqual(doc, DOC);
    assert.deepEqual(ops[0], { op: 'add', path: '/metadata/labels/x', value: { deep: 1 } });
  });
});
