// Shared pieces of the property tests: hostile values and keys, prototype-pollution checks, and
// a per-call time bound (a property call that takes seconds on a few KB is a hang in waiting).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { KiteError } from '../../../common/errors';

/** Keys that break code assigning into plain objects. */
export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** Strings that other layers read as numbers, booleans, nulls or paths. */
export const NASTY_STRINGS = [
  '', ' ', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x1F', '1_000', 'null', 'true', 'yes', '~', '.nan', '.inf',
  '9'.repeat(400), '../..', '/etc/passwd', '\u0000', '\uffff', '\ud800', 'a'.repeat(300), '${HOME}', '%s%s%s', '<<', '*a', '&a',
  ...NASTY_KEYS,
];

/** Numbers at the edges: huge, tiny, negative, fractional, beyond 2^53. */
export const NASTY_NUMBERS = [0, -1, 1.5, -0.5, 1e308, -1e308, 5e-324, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 65536, 2 ** 31, -(2 ** 31) - 1];

/** A JSON value whose strings, numbers and keys lean towards the hostile ones above. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<unknown>(...NASTY_STRINGS, ...NASTY_NUMBERS, true, false, null),
    fc.string({ maxLength: 20 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Sets `key` as an own, enumerable property even when it is "__proto__" (as JSON.parse does). */
export function defineOwn(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JSON.stringify-equal copy that keeps own "__proto__" keys (structuredClone does too). */
export function snapshot(v: unknown): string {
  return JSON.stringify(v);
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const prototypeShape = () => PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort().join(','));

/** Runs fn and fails if it added, removed or replaced anything on the built-in prototypes. */
export function withoutPollution<T>(fn: () => T): T {
  const before = prototypeShape();
  try {
    return fn();
  } finally {
    assert.deepEqual(prototypeShape(), before, 'a built-in prototype changed');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
}

/** Runs fn, which may throw only a KiteError; returns the result or the error. Fails if it took over `ms`. */
export function kiteOutcome<T>(fn: () => T, ms = 2000): { value: T } | { error: KiteError } {
  const start = performance.now();
  try {
    return { value: fn() };
  } catch (e) {
    if (!(e instanceof KiteError)) throw new Error(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} instead of a KiteError`);
    return { error: e };
  } finally {
    const took = performance.now() - start;
    assert.ok(took < ms, `took ${Math.round(took)} ms`);
  }
}
