import assert from 'node:assert/strict';
import type { ConfigMap, KObject } from '../../../common/api/types';
import { isKiteError } from '../../../common/errors';
import { MemoryStore } from '../../../controller/store/memory-store';
import type { StoreEvent } from '../../../controller/store/types';

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

async function take(it: AsyncIterable<StoreEvent>, n: number): Promise<StoreEvent[]> {
  const out: StoreEvent[] = [];
  for await (const e of it) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

describe('MemoryStore (unit-test fake of the ObjectStore)', () => {
  it('sets identity on create and refuses duplicates', async () => {
    const s = new MemoryStore();
    const a = await s.create(cm('a'));
    assert.ok(a.metadata.uid);
    assert.equal(a.metadata.generation, 1);
    assert.equal(a.metadata.resourceVersion, '1');
    await assert.rejects(s.create(cm('a')), (e) => isKiteError(e, 'AlreadyExists'));
  });

  it('bumps generation only on spec changes, keeps status on update, and rejects stale resourceVersions', async () => {
    const s = new MemoryStore();
    const a = await s.create(cm('a', { k: '1' }));
    const labelled = await s.update({ ...a, metadata: { ...a.metadata, labels: { x: 'y' } } });
    assert.equal(labelled.metadata.generation, 1);
    const changed = await s.update({ ...labelled, data: { k: '2' } });
    assert.equal(changed.metadata.generation, 2);
    await assert.rejects(s.update({ ...a, data: { k: '3' } }), (e) => isKiteError(e, 'Conflict'));
    const withStatus = await s.updateStatus<KObject>({ ...changed, status: { ok: true } });
    const again = await s.update({ ...withStatus, status: undefined, metadata: { ...withStatus.metadata, resourceVersion: undefined } });
    assert.deepEqual(again.status, { ok: true });
    await assert.rejects(s.delete('ConfigMap', 'default', 'nope'), (e) => isKiteError(e, 'NotFound'));
  });

  it('replays history to a watch from a revision, with previous objects, and reports compacted history as Gone', async () => {
    const s = new MemoryStore();
    const a = await s.create(cm('a'));
    await s.update({ ...a, data: { k: 'v' } });
    await s.delete('ConfigMap', 'default', 'a');
    const ac = new AbortController();
    const events = await take(s.watch('ConfigMap', { resourceVersion: a.metadata.resourceVersion! }, ac.signal), 2);
    assert.deepEqual(events.map((e) => e.type), ['MODIFIED', 'DELETED']);
    assert.deepEqual(events[0]!.previous?.data, {});
    ac.abort();
    s.compact();
    await assert.rejects(take(s.watch('ConfigMap', { resourceVersion: '1' }, new AbortController().signal), 1), (e) => isKiteError(e, 'Gone'));
  });
});
