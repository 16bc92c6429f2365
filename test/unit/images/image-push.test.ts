import { strict as assert } from 'node:assert';
import { rechunk } from '../../../cli/commands/image';
import { formatBytes, imageRows, progressLine } from '../../../cli/print/images';
import { checkPushStart, planPush, selectPushTargets } from '../../../controller/api/image-push-plan';
import { PUSH_IMAGES } from '../../../controller/api/image-push';
import { nodeImagesFromReport, sameNodeImages, MAX_NODE_IMAGES } from '../../../controller/dispatcher/node-images';
import { reportedImages, imagesKey, MAX_REPORTED_IMAGES } from '../../../node-agent/images';
import { Authorizer } from '../../../controller/security/authorize';
import type { UserRecord } from '../../../controller/security/users';
import type { Node } from '../../../common/api/types';
import { isKiteError } from '../../../common/errors';

const ID_A = 'sha256:' + 'a'.repeat(64);
const ID_B = 'sha256:' + 'b'.repeat(64);

function node(name: string, ready = true, images?: { names: string[]; sizeBytes: number }[]): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }], ...(images ? { images } : {}) },
  } as Node;
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const b of it) out.push(b);
  return out;
}

async function* pieces(...sizes: number[]): AsyncIterable<Buffer> {
  let n = 0;
  for (const s of sizes) yield Buffer.from(Array.from({ length: s }, () => n++ % 251));
}

describe('image push: chunking', () => {
  it('re-cuts a stream into chunks of exactly the size, the last one shorter, bytes in order', async () => {
    const chunks = await collect(rechunk(pieces(3, 10, 1, 7), 4));
    assert.deepEqual(chunks.map((c) => c.length), [4, 4, 4, 4, 4, 1]);
    const all = Buffer.concat(chunks);
    assert.deepEqual([...all], Array.from({ length: 21 }, (_, i) => i % 251));
  });

  it('yields nothing for an empty stream and one chunk for an exact fit', async () => {
    assert.deepEqual(await collect(rechunk(pieces(), 4)), []);
    assert.deepEqual((await collect(rechunk(pieces(2, 2), 4))).map((c) => c.length), [4]);
  });
});

describe('image push: targets and skips', () => {
  const nodes = [node('n2'), node('n1'), node('n3', false)];

  it('defaults to every Ready node, in name order', () => {
    assert.deepEqual(selectPushTargets(nodes, []).map((n) => n.metadata.name), ['n1', 'n2']);
  });

  it('takes the named nodes only, once each', () => {
    assert.deepEqual(selectPushTargets(nodes, ['n2', 'n2']).map((n) => n.metadata.name), ['n2']);
  });

  it('refuses an unknown --node, naming it and the known ones', () => {
    assert.throws(() => selectPushTargets(nodes, ['n1', 'nope']), (e: unknown) => isKiteError(e, 'NotFound') && /"nope" not found \(nodes: n1, n2, n3\)/.test(e.message));
  });

  it('refuses a named node that is not Ready, and a cluster without a Ready node', () => {
    assert.throws(() => selectPushTargets(nodes, ['n3']), (e: unknown) => isKiteError(e, 'Unavailable') && /n3 not Ready/.test(e.message));
    assert.throws(() => selectPushTargets([node('x', false)], []), (e: unknown) => isKiteError(e, 'Unavailable'));
  });

  it('skips nodes holding the image id, sends to the others, fails the ones that could not be asked', () => {
    const plan = planPush([
      { node: 'n1', present: true },
      { node: 'n2', present: false },
      { node: 'n3', error: 'unreachable' },
    ]);
    assert.deepEqual(plan, { targets: ['n2'], skipped: ['n1'], failed: [{ node: 'n3', error: 'unreachable' }] });
  });

  it('checks the start: a name and a sha256 id', () => {
    assert.doesNotThrow(() => checkPushStart('web:1', ID_A));
    assert.throws(() => checkPushStart('', ID_A), (e: unknown) => isKiteError(e, 'Invalid'));
    assert.throws(() => checkPushStart('web:1', 'abc'), (e: unknown) => isKiteError(e, 'Invalid'));
  });
});

describe('image push: who may', () => {
  const users = new Map<string, UserRecord>(
    (
      [
        { name: 'root', role: 'admin' },
        { name: 'dev', role: 'edit' },
        { name: 'ro', role: 'view' },
        { name: 'team-admin', role: 'admin', namespace: 'team' },
      ] as const
    ).map((u) => [u.name, { ...u, created: '2026-01-01T00:00:00Z' }]),
  );
  const authz = new Authorizer({ get: (n) => users.get(n) });
  const may = (name: string) => {
    try {
      authz.check({ kind: 'user', name }, PUSH_IMAGES);
      return true;
    } catch (e) {
      assert.ok(isKiteError(e, 'Forbidden'));
      return false;
    }
  };
  it('cluster admins push; edit, view and namespace admins do not', () => {
    assert.deepEqual(['root', 'dev', 'ro', 'team-admin'].map(may), [true, false, false, false]);
  });
  it('view lists images (they are Node status)', () => {
    assert.doesNotThrow(() => authz.check({ kind: 'user', name: 'ro' }, { verb: 'list', resource: 'nodes', namespaced: false }));
  });
});

describe('image push: progress and listing', () => {
  it('formats sizes as docker does', () => {
    assert.deepEqual([formatBytes(512), formatBytes(4200), formatBytes(104_857_600), formatBytes(1.2e9)], ['512B', '4.2kB', '105MB', '1.2GB']);
  });

  it('draws the bar in proportion and never full before the end', () => {
    assert.equal(progressLine(50, 100, ['n1', 'n2'], 10), '[=====>    ]  50% 50B/100B to n1, n2');
    assert.equal(progressLine(150, 100, ['n1'], 10), '[=========>]  99% 150B/100B to n1');
    assert.equal(progressLine(0, 0, ['n1'], 4), '[>   ]   0% 0B/0B to n1');
  });

  it('lists each image id once with its names and every node holding it', () => {
    const rows = imageRows([
      node('n2', true, [{ names: ['web:1', 'web@sha256:' + 'c'.repeat(64), ID_A], sizeBytes: 2_000_000 }]),
      node('n1', true, [
        { names: ['web:1', ID_A], sizeBytes: 2_000_000 },
        { names: [ID_B], sizeBytes: 10 },
      ]),
    ]);
    assert.deepEqual(rows, [
      { image: '<none>', id: 'b'.repeat(12), size: '10B', nodes: 'n1' },
      { image: 'web:1', id: 'a'.repeat(12), size: '2.0MB', nodes: 'n1,n2' },
    ]);
  });
});

describe('node images report', () => {
  const engine = (id: string, size: number, tags: string[] | null) => ({ Id: id, Size: size, RepoTags: tags, RepoDigests: [] });

  it('reports the largest images first, bounded, with tags then the id and no <none> placeholders', () => {
    const many = Array.from({ length: MAX_REPORTED_IMAGES + 5 }, (_, i) => engine(`sha256:${String(i).padStart(64, '0')}`, i, [`img:${i}`]));
    const report = reportedImages([...many, engine(ID_A, 1e9, ['<none>:<none>'])]);
    assert.equal(report.length, MAX_REPORTED_IMAGES);
    assert.deepEqual(report[0], { names: [ID_A], size_bytes: 1e9, id: ID_A });
    assert.deepEqual(report[1]!.names, [`img:${MAX_REPORTED_IMAGES + 4}`, `sha256:${String(MAX_REPORTED_IMAGES + 4).padStart(64, '0')}`]);
  });

  it('changes its key when a tag moves', () => {
    const a = reportedImages([engine(ID_A, 1, ['x:1'])]);
    const b = reportedImages([engine(ID_A, 1, ['x:2'])]);
    assert.notEqual(imagesKey(a), imagesKey(b));
    assert.equal(imagesKey(a), imagesKey(reportedImages([engine(ID_A, 1, ['x:1'])])));
  });

  it('the controller bounds what an agent sends and drops malformed entries', () => {
    const report = Array.from({ length: MAX_NODE_IMAGES + 3 }, (_, i) => ({ names: [`i:${i}`, 'x'.repeat(600)], size_bytes: String(i), id: '' }));
    report.unshift({ names: [], size_bytes: '5', id: '' });
    const images = nodeImagesFromReport(report);
    assert.equal(images.length, MAX_NODE_IMAGES - 1);
    assert.deepEqual(images[0], { names: ['i:0'], sizeBytes: 0 });
    assert.ok(sameNodeImages(images, nodeImagesFromReport(report)));
    assert.ok(!sameNodeImages(undefined, images));
    assert.ok(!sameNodeImages(images, images.slice(1)));
  });
});
