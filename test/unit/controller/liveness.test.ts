import { strict as assert } from 'node:assert';
import type { Node } from '../../../common/api/types';
import { isNodeReady } from '../../../common/api/node';
import { FakeClock } from '../../../common/clock';
import { FakeNodeLiveness } from '../../../controller/nodes/fake-liveness';
import { NODE_STATUS_UNKNOWN, REGISTRATION_SETTLE_MS, mustReregister } from '../../../controller/nodes/liveness';

const GRACE_S = 10;

function node(ready?: 'True' | 'False' | 'Unknown'): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: {}, status: ready ? { conditions: [{ type: 'Ready', status: ready }] } : {} };
}

describe('node liveness (fake clock)', () => {
  let clock: FakeClock;
  let liveness: FakeNodeLiveness;
  const lapsedNames = async (...nodes: string[]) => (await liveness.lapsed(nodes)).map((l) => l.node);

  beforeEach(() => {
    clock = new FakeClock();
    liveness = new FakeNodeLiveness(clock, GRACE_S);
  });

  it('lapses a node the grace period after its last heartbeat, not before', async () => {
    await liveness.registered('a');
    clock.advance(GRACE_S * 1000 - 1);
    assert.deepEqual(await lapsedNames('a'), []);
    clock.advance(1);
    assert.deepEqual(await lapsedNames('a'), ['a']);
  });

  it('never lapses a node while its heartbeats arrive', async () => {
    await liveness.registered('a');
    for (let i = 0; i < 30; i++) {
      clock.advance(2000);
      await liveness.heartbeat('a');
      assert.deepEqual(await lapsedNames('a'), [], `after ${(i + 1) * 2}s`);
    }
  });

  it('is alive again on the next heartbeat after lapsing', async () => {
    await liveness.registered('a');
    clock.advance(GRACE_S * 1000 * 3);
    assert.deepEqual(await lapsedNames('a'), ['a']);
    await liveness.heartbeat('a');
    assert.deepEqual(await lapsedNames('a'), []);
  });

  it('records why a node lapsed', async () => {
    const [lapse] = await liveness.lapsed(['never-heard']);
    assert.equal(lapse?.reason, NODE_STATUS_UNKNOWN);
    assert.match(lapse?.message ?? '', /no heartbeat within the 10s grace period/);
  });

  it('keeps a forgotten node alive until its grace runs out (its agent may reconnect elsewhere)', async () => {
    await liveness.registered('a');
    liveness.forget('a');
    assert.deepEqual(await lapsedNames('a'), []);
    clock.advance(GRACE_S * 1000);
    assert.deepEqual(await lapsedNames('a'), ['a']);
  });

  it('judges each node on its own heartbeats', async () => {
    await liveness.registered('a');
    await liveness.registered('b');
    clock.advance(6000);
    await liveness.heartbeat('b');
    clock.advance(6000);
    assert.deepEqual(await lapsedNames('a', 'b'), ['a']);
  });
});

describe('isNodeReady', () => {
  it('is true only for a True Ready condition; a node without one is not ready', () => {
    assert.equal(isNodeReady(node('True')), true);
    assert.equal(isNodeReady(node('Unknown')), false);
    assert.equal(isNodeReady(node('False')), false);
    assert.equal(isNodeReady(node()), false);
  });
});

describe('mustReregister', () => {
  it('ends the session of a node marked NotReady or deleted, once the registration has settled', () => {
    const settled = REGISTRATION_SETTLE_MS + 1;
    assert.equal(mustReregister(node('True'), settled), false);
    assert.equal(mustReregister(node('Unknown'), settled), true);
    assert.equal(mustReregister(undefined, settled), true);
  });

  it('tolerates a stale view right after registering', () => {
    assert.equal(mustReregister(node('Unknown'), REGISTRATION_SETTLE_MS), false);
    assert.equal(mustReregister(undefined, 0), false);
  });
});
