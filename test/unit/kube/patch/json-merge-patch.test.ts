// JSON merge patch: RFC 7386's own examples (Appendix A), and the property that makes it useful:
// the patch from one document to another turns the first into the second.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyMergePatch } from '../../../../common/kube/patch/json-merge-patch';

const RFC_7386_EXAMPLES: [original: unknown, patch: unknown, expected: unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('applyMergePatch (RFC 7386)', () => {
  RFC_7386_EXAMPLES.forEach(([original, patch, expected], i) => {
    it(`example ${i + 1}: ${JSON.stringify(original)} + ${JSON.stringify(patch)} = ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(applyMergePatch(original, patch), expected);
    });
  });

  it('a list is replaced whole, nulls inside it kept', () => {
    assert.deepEqual(applyMergePatch({ a: [1, 2, 3] }, { a: [null, 4] }), { a: [null, 4] });
  });

  it('never changes its inputs, and what it returns shares nothing with them', () => {
    const original = { spec: { replicas: 1, selector: { app: 'a' } }, list: [{ x: 1 }] };
    const patch = { spec: { replicas: 3, template: { labels: { app: 'a' } } }, list: [{ y: 2 }] };
    const [originalCopy, patchCopy] = [structuredClone(original), structuredClone(patch)];
    const result = applyMergePatch(original, patch) as { spec: { selector: Record<string, string>; template: { labels: Record<string, string> } }; list: { y?: number }[] };
    result.spec.selector.app = 'changed';
    result.spec.template.labels.app = 'changed';
    result.list[0]!.y = 99;
    assert.deepEqual(original, originalCopy);
    assert.deepEqual(patch, patchCopy);
  });

  it('sets a field named __proto__ as a field, not as the prototype', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    assert.deepEqual(Object.keys(result), ['__proto__']);
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.equal((result as { polluted?: unknown }).polluted, undefined);
  });

  describe('properties', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd');
    // Plain maps without nulls: a null in the target cannot be told from a deletion in a merge patch.
    const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }));
    const { doc } = fc.letrec((tie) => ({ doc: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, tie('doc')), { maxKeys: 4, noNullPrototype: true }) }));

    it('the merge patch computed from an original to a target turns that original into the target', () => {
      fc.assert(fc.property(doc, doc, (original, target) => assert.deepEqual(applyMergePatch(original, mergePatchBetween(original, target)), target)));
    });

    it('applying a patch twice is applying it once', () => {
      fc.assert(
        fc.property(doc, doc, (original, patch) => {
          const once = applyMergePatch(original, patch);
          assert.deepEqual(applyMergePatch(once, patch), once);
        }),
      );
    });
  });
});

/** The smallest merge patch from `from` to `to` (what a client such as kubectl computes). */
function mergePatchBetween(from: unknown, to: unknown): unknown {
  if (!isMap(from) || !isMap(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    if (JSON.stringify(from[key]) === JSON.stringify(value)) continue;
    patch[key] = key in from ? mergePatchBetween(from[key], value) : value;
  }
  return patch;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
