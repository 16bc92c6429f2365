import { strict as assert } from 'node:assert';
import { AsyncQueue } from '../../common/async-queue';
import { canonicalJson } from '../../common/canonical';
import { FakeClock } from '../../common/clock';

describe('canonicalJson', () => {
  it('is the same for objects that differ only in key order, and differs for different content', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'z' } }), canonicalJson({ a: { c: 'z', d: [1, { x: 1, y: 2 }] }, b: 1 }));
    assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
    assert.equal(canonicalJson({ a: undefined, b: 1 }), canonicalJson({ b: 1 }));
  });
});

describe('AsyncQueue', () => {
  it('delivers in order, then ends', async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    q.push(2);
    setImmediate(() => {
      q.push(3);
      q.end();
    });
    const got: number[] = [];
    for await (const n of q) got.push(n);
    assert.deepEqual(got, [1, 2, 3]);
  });

  it('fails instead of growing past its limit', async () => {
    const q = new AsyncQueue<number>(2, () => new Error('too slow'));
    q.push(1);
    q.push(2);
    q.push(3);
    await assert.rejects(async () => {
      for await (const _ of q) void _;
    }, /too slow/);
  });
});

describe('FakeClock', () => {
  it('fires timers in time order as it advances', () => {
    const c = new FakeClock(0);
    const fired: string[] = [];
    c.setTimeout(() => fired.push('b'), 200);
    c.setTimeout(() => fired.push('a'), 100);
    const t = c.setTimeout(() => fired.push('never'), 150);
    c.clearTimeout(t);
    c.advance(150);
    assert.deepEqual(fired, ['a']);
    c.advance(100);
    assert.deepEqual(fired, ['a', 'b']);
    assert.equal(c.now(), 250);
  });
});
