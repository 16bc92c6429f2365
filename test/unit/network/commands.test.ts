import assert from 'node:assert/strict';
import { CommandError, execRunner } from '../../../node-agent/network/commands';

describe('command runner', () => {
  it('passes input on stdin and returns stdout', async () => {
    assert.equal(await execRunner.run('cat', [], { input: 'hello\n' }), 'hello\n');
  });

  it('survives a command that exits without reading a large input, and names it in the error', async () => {
    const big = 'x'.repeat(8 * 1024 * 1024);
    await assert.rejects(execRunner.run('sh', ['-c', 'echo refused >&2; exit 3'], { input: big }), (e: unknown) => {
      assert.ok(e instanceof CommandError);
      assert.match(e.message, /^sh -c .*refused/);
      return true;
    });
  });
});
