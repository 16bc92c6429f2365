// Property tests of CPU and memory quantities: exact against a rational reference model, monotonic,
// consistent across notations, and for anything else a clear Invalid error, never NaN, Infinity
// or a negative amount.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../../../common/manifest/quantity';
import { parseCpuMillis, parseMemoryBytes } from '../../../controller/scheduler/quantity';
import { NASTY_NUMBERS, NASTY_STRINGS, kiteOutcome } from './helpers';

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** A quantity as its parts, so the test knows its exact value without parsing it. */
interface Parts {
  whole: bigint;
  fraction: string; // digits after the point, possibly empty
  suffix: string; // a suffix, or `e<n>`
}

const parts: fc.Arbitrary<Parts> = fc.record({
  whole: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 9 }),
  suffix: fc.oneof(fc.constantFrom(...Object.keys(DECIMAL), ...Object.keys(BINARY)), fc.integer({ min: -12, max: 12 }).map((e) => `e${e}`)),
});

const textOf = (p: Parts) => `${p.whole}${p.fraction ? `.${p.fraction}` : ''}${p.suffix}`;

/** The exact value as numerator / denominator, in units of 10^-unitExponent. */
function exact(p: Parts, unitExponent: number): { num: bigint; den: bigint } {
  let num = BigInt(`${p.whole}${p.fraction}`);
  let den = 10n ** BigInt(p.fraction.length);
  let exp10 = unitExponent;
  if (p.suffix.startsWith('e')) exp10 += Number(p.suffix.slice(1));
  else if (p.suffix in BINARY) num <<= BigInt(BINARY[p.suffix]!);
  else exp10 += DECIMAL[p.suffix]!;
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  return { num, den };
}

const ceilDiv = (num: bigint, den: bigint) => (num + den - 1n) / den;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

describe('fuzz: quantities', function () {
  this.timeout(20_000);

  it('cpu and memory are the exact value rounded up to a whole millicore or byte', () => {
    fc.assert(
      fc.property(parts, (p) => {
        for (const [parse, unit] of [[parseCpu, 3], [parseMemory, 0]] as const) {
          const { num, den } = exact(p, unit);
          const want = ceilDiv(num, den);
          if (want > SAFE) continue; // past 2^53 a double cannot hold every integer
          assert.equal(parse(textOf(p)), Number(want), `${textOf(p)} (unit 10^-${unit})`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is monotonic: a larger quantity never parses to less', () => {
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        for (const [parse, unit] of [[parseCpu, 3], [parseMemory, 0]] as const) {
          const x = exact(a, unit);
          const y = exact(b, unit);
          if (ceilDiv(x.num, x.den) > SAFE || ceilDiv(y.num, y.den) > SAFE) continue;
          const cmp = x.num * y.den - y.num * x.den; // sign of a - b
          const pa = parse(textOf(a));
          const pb = parse(textOf(b));
          if (cmp <= 0n) assert.ok(pa <= pb, `${textOf(a)} <= ${textOf(b)} but ${pa} > ${pb}`);
          if (cmp >= 0n) assert.ok(pa >= pb, `${textOf(a)} >= ${textOf(b)} but ${pa} < ${pb}`);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('every notation of the same amount agrees: Xm == X/1000 cores == Xe-3 == X000u; N Gi == 1024N Mi', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (millis) => {
        const cores = `${Math.floor(millis / 1000)}.${String(millis % 1000).padStart(3, '0')}`;
        for (const q of [`${millis}m`, cores, `${millis}e-3`, `${millis}000u`, millis % 1000 === 0 ? millis / 1000 : millis / 1000]) {
          assert.equal(parseCpu(q), millis, String(q));
        }
        assert.equal(formatCpu(parseCpu(formatCpu(millis))), formatCpu(millis));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 20 }), (n) => {
        assert.equal(parseMemory(`${n}Gi`), parseMemory(`${n * 1024}Mi`));
        assert.equal(parseMemory(`${n}Mi`), parseMemory(`${n * 1024}Ki`));
        assert.equal(parseMemory(`${n}Ki`), n * 1024);
        assert.equal(parseMemory(`${n}k`), parseMemory(`${n}000`));
        assert.equal(parseMemory(`${n}G`), parseMemory(`${n}e9`));
        assert.equal(parseMemory(formatMemory(n * 4096)), n * 4096);
      }),
      { numRuns: 500 },
    );
  });

  it('the scheduler reads quantities exactly as admission does', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const q = textOf(p);
        const admitted = kiteOutcome(() => [parseCpu(q), parseMemory(q)]);
        const scheduled = kiteOutcome(() => [parseCpuMillis(q), parseMemoryBytes(q)]);
        assert.deepEqual('value' in scheduled ? scheduled.value : scheduled.error.message, 'value' in admitted ? admitted.value : admitted.error.message);
      }),
      { numRuns: 200 },
    );
  });

  it('anything else: a finite, non-negative whole number or an Invalid error quoting the input', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: fc.constantFrom(...'0123456789.eE+-mkMGTPEiKnu '), maxLength: 20 }),
      fc.constantFrom<string | number>(...NASTY_STRINGS, ...NASTY_NUMBERS, NaN, Infinity, -Infinity, -0, '1e308', '1e309', '1Ei', '9e18Ei', '-0m', '+5', '.5', '5.', '1E', '1E3'),
      fc.double(),
      fc.tuple(parts, fc.boolean()).map(([p, negative]) => (negative ? `-${textOf(p)}` : ` ${textOf(p)} `)),
    );
    fc.assert(
      fc.property(junk, (q) => {
        for (const parse of [parseCpu, parseMemory]) {
          const r = kiteOutcome(() => parse(q), 500);
          if ('value' in r) {
            assert.ok(Number.isFinite(r.value) && Number.isInteger(r.value) && r.value >= 0 && !Object.is(r.value, -0), `${String(q)} -> ${r.value}`);
          } else {
            assert.equal(r.error.code, 'Invalid');
            assert.match(r.error.message, /^invalid (cpu|memory) quantity/);
            const shown = typeof q === 'number' ? String(q) : q.trim().slice(0, 20);
            assert.ok(r.error.message.includes(shown), `${r.error.message} does not quote ${shown}`);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });
});
