import assert from 'node:assert/strict';
import { isKiteError } from '../../../common/errors';
import { formatCpu, formatMemory, parseCpu, parseIntOrPercent, parseMemory } from '../../../common/manifest/quantity';

const rejectsAsInvalid = (fn: () => unknown, mentions: RegExp) =>
  assert.throws(fn, (e: unknown) => isKiteError(e, 'Invalid') && mentions.test(e.message));

describe('quantities', () => {
  describe('parseCpu', () => {
    it('reads millicores, whole and fractional cores as millicores', () => {
      assert.equal(parseCpu('500m'), 500);
      assert.equal(parseCpu('2'), 2000);
      assert.equal(parseCpu(0.5), 500);
      assert.equal(parseCpu('1.5'), 1500);
      assert.equal(parseCpu('0.1'), 100);
      assert.equal(parseCpu(2), 2000);
    });
    it('rounds sub-millicore values up to one millicore, as Kubernetes does', () => {
      assert.equal(parseCpu('100u'), 1);
      assert.equal(parseCpu('0.0001'), 1);
    });
    it('rejects malformed and negative values with a message naming the value', () => {
      rejectsAsInvalid(() => parseCpu(''), /empty/);
      rejectsAsInvalid(() => parseCpu('-1'), /"-1".*negative/);
      rejectsAsInvalid(() => parseCpu('abc'), /"abc"/);
      rejectsAsInvalid(() => parseCpu('1 cores'), /"1 cores"/);
      rejectsAsInvalid(() => parseCpu(-0.5), /negative/);
    });
  });

  describe('parseMemory', () => {
    it('reads binary and decimal suffixes, exponents and plain bytes', () => {
      assert.equal(parseMemory('128Mi'), 128 * 1024 * 1024);
      assert.equal(parseMemory('1G'), 1e9);
      assert.equal(parseMemory('512974848'), 512974848);
      assert.equal(parseMemory('1e3'), 1000);
      assert.equal(parseMemory('129M'), 129e6);
      assert.equal(parseMemory('1Ki'), 1024);
      assert.equal(parseMemory('1Gi'), 2 ** 30);
      assert.equal(parseMemory('1Ti'), 2 ** 40);
      assert.equal(parseMemory('1Pi'), 2 ** 50);
      assert.equal(parseMemory('1Ei'), 2 ** 60);
      assert.equal(parseMemory('1k'), 1000);
      assert.equal(parseMemory('2T'), 2e12);
      assert.equal(parseMemory('1P'), 1e15);
      assert.equal(parseMemory('1E'), 1e18);
      assert.equal(parseMemory('0.5Gi'), 2 ** 29);
      assert.equal(parseMemory('128974848000m'), 128974848);
      assert.equal(parseMemory(1024), 1024);
    });
    it('rejects unknown suffixes, empty, negative and non-numeric values', () => {
      rejectsAsInvalid(() => parseMemory('12XB'), /"12XB"/);
      rejectsAsInvalid(() => parseMemory(''), /empty/);
      rejectsAsInvalid(() => parseMemory('-1'), /negative/);
      rejectsAsInvalid(() => parseMemory('abc'), /"abc"/);
      rejectsAsInvalid(() => parseMemory('1mi'), /"1mi"/);
    });
  });

  describe('formatting', () => {
    it('formats whole cores plainly and the rest as millicores', () => {
      assert.equal(formatCpu(250), '250m');
      assert.equal(formatCpu(2000), '2');
      assert.equal(formatCpu(1500), '1500m');
      assert.equal(formatCpu(0), '0');
    });
    it('formats memory with the largest exact binary suffix, else bytes', () => {
      assert.equal(formatMemory(128 * 2 ** 20), '128Mi');
      assert.equal(formatMemory(2 ** 30), '1Gi');
      assert.equal(formatMemory(1536), '1536');
      assert.equal(formatMemory(3 * 1024), '3Ki');
      assert.equal(formatMemory(1000), '1000');
      assert.equal(formatMemory(0), '0');
    });
    it('round-trips through parse', () => {
      for (const q of ['64Mi', '2Gi', '1000']) assert.equal(formatMemory(parseMemory(q)), q);
      for (const q of ['250m', '2']) assert.equal(formatCpu(parseCpu(q)), q);
    });
  });

  describe('parseIntOrPercent', () => {
    it('returns integers unchanged', () => assert.equal(parseIntOrPercent(3, 10, true), 3));
    it('scales percentages, rounding as asked', () => {
      assert.equal(parseIntOrPercent('25%', 10, true), 3);
      assert.equal(parseIntOrPercent('25%', 10, false), 2);
      assert.equal(parseIntOrPercent('25%', 4, true), 1);
      assert.equal(parseIntOrPercent('0%', 10, true), 0);
      assert.equal(parseIntOrPercent('100%', 7, false), 7);
    });
    it('rejects strings that are not percentages, and negative numbers', () => {
      rejectsAsInvalid(() => parseIntOrPercent('5', 10, true), /percentage/);
      rejectsAsInvalid(() => parseIntOrPercent('x%', 10, true), /percentage/);
      rejectsAsInvalid(() => parseIntOrPercent(-1, 10, true), /non-negative/);
    });
  });
});
