import assert from 'node:assert/strict';
import { Progress } from '../../../cli/print/progress';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (s: string) => writes.push(s) };
}

describe('Progress', () => {
  it('on a terminal rewrites one line in place and ends it with the final message', () => {
    const out = stream(true);
    const p = new Progress(out);
    p.update('1 of 3 updated replicas are available...');
    p.update('1 of 3 updated replicas are available...');
    p.update('2 of 3 updated replicas are available...');
    p.done('deployment "web" successfully rolled out');
    assert.deepEqual(out.writes, [
      '\r\x1b[K1 of 3 updated replicas are available...',
      '\r\x1b[K2 of 3 updated replicas are available...',
      '\r\x1b[Kdeployment "web" successfully rolled out\n',
    ]);
  });

  it('on a terminal closes the open line when done without a message', () => {
    const out = stream(true);
    const p = new Progress(out);
    p.update('evicting pod web');
    p.done();
    assert.deepEqual(out.writes, ['\r\x1b[Kevicting pod web', '\n']);
  });

  it('elsewhere prints a line only when the text changes', () => {
    const out = stream(false);
    const p = new Progress(out);
    p.update('waiting');
    p.update('waiting');
    p.update('still waiting');
    p.update('waiting');
    p.done('done');
    assert.deepEqual(out.writes, ['waiting\n', 'still waiting\n', 'waiting\n', 'done\n']);
  });

  it('elsewhere writes nothing on done without a message', () => {
    const out = stream(false);
    new Progress(out).done();
    assert.deepEqual(out.writes, []);
  });
});
