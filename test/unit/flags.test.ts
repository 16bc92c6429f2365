import { strict as assert } from 'node:assert';
import { InvalidArgumentError } from 'commander';
import { checked, positiveNumber } from '../../common/flags';

describe('flag parsers (common/flags.ts)', () => {
  it('turns a parse error into a commander usage error that names the flag', () => {
    const parse = checked(positiveNumber('--node-grace'));
    assert.equal(parse('2.5'), 2.5);
    assert.throws(() => parse('0'), (e: unknown) => e instanceof InvalidArgumentError && /--node-grace must be a positive number, got "0"/.test(e.message));
    assert.throws(() => parse('abc'), InvalidArgumentError);
  });
});
