// Assertions shared by the integration suites.
import assert from 'node:assert/strict';
import { isKiteError, type KiteError } from '../../common/errors';

/**
 * Awaits `p`, which must fail with a KiteError of `code` (and, if given, a message or details
 * matching `message`); returns the error. Fails, showing the result, when the call succeeds.
 */
export async function rejects(p: Promise<unknown>, code: KiteError['code'], message?: RegExp): Promise<KiteError> {
  let result: unknown;
  try {
    result = await p;
  } catch (e) {
    assert.ok(isKiteError(e), `expected a KiteError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match([e.message, ...e.details].join('\n'), message);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded: ${JSON.stringify(result)?.slice(0, 200)}`);
}
