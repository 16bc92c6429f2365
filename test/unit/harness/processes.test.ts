import assert from 'node:assert/strict';
import { CliTimeout, kite } from '../../harness/processes';

describe('test harness: kite()', function () {
  this.timeout(20_000);

  it('kills a CLI run that outlives its timeout and rejects with what it printed so far', async () => {
    const t0 = Date.now();
    await assert.rejects(kite('127.0.0.1:1', ['version'], undefined, {}, 100), (e: unknown) => {
      assert.ok(e instanceof CliTimeout);
      assert.equal(e.timeoutMs, 100);
      assert.deepEqual(e.args, ['version']);
      assert.match(e.message, /did not finish within 100 ms/);
      return true;
    });
    assert.ok(Date.now() - t0 < 5000, 'rejected soon after the timeout, not when the CLI would have ended');
  });
});
