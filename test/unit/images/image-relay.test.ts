// The controller's image relay against real gRPC agents in this process (plaintext): nodes that
// hold the image are skipped, a node going away mid-push is named while the others complete, and
// a slow node holds the source back (the relay never reads the image far ahead of the nodes).
import { strict as assert } from 'node:assert';
import type * as grpc from '@grpc/grpc-js';
import type { Node } from '../../../common/api/types';
import { loadProto } from '../../../common/grpc';
import { bindServer, createServer, PLAINTEXT } from '../../../common/transport';
import { silentLogger } from '../../../common/log';
import { ImagePushRelay, type PushEvent } from '../../../controller/api/image-push';
import { imageHandlers } from '../../../node-agent/image-streams';

const ID = 'sha256:' + 'c'.repeat(64);
const CHUNK = 256 * 1024;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What an agent's engine does with a pushed archive, observable by the test. */
class FakeEngine {
  received = 0;
  chunks = 0;
  loaded = false;
  constructor(
    readonly has: boolean,
    readonly onChunk: (e: FakeEngine) => Promise<void> | void = () => undefined,
  ) {}
  async present(): Promise<boolean> {
    return this.has;
  }
  async load(_image: string, _id: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    for await (const c of chunks) {
      this.received += c.length;
      this.chunks++;
      await this.onChunk(this);
    }
    this.loaded = true;
  }
}

interface FakeAgent {
  name: string;
  engine: FakeEngine;
  server: grpc.Server;
  port: number;
}

async function agent(name: string, engine: FakeEngine): Promise<FakeAgent> {
  const server = createServer();
  server.addService(loadProto().kite.v1.AgentStreams.service, imageHandlers(engine, silentLogger, { plaintext: true }));
  const port = await bindServer(server, '127.0.0.1:0', PLAINTEXT);
  return { name, engine, server, port };
}

function nodeOf(a: FakeAgent): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: a.name },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { metricsPort: 0, streamPort: a.port },
    },
  } as Node;
}

/** `count` chunks of the archive; `pulled` counts how many the relay has asked for. */
function source(count: number) {
  const state = { pulled: 0 };
  async function* gen(): AsyncIterable<Buffer> {
    for (let i = 0; i < count; i++) {
      state.pulled++;
      yield Buffer.alloc(CHUNK, i % 256);
    }
  }
  return { state, data: gen() };
}

async function collect(events: AsyncIterable<PushEvent>): Promise<PushEvent[]> {
  const out: PushEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('image push relay (controller -> agents over gRPC)', function () {
  this.timeout(20_000);
  const agents: FakeAgent[] = [];
  let relay: ImagePushRelay | undefined;

  afterEach(() => {
    relay?.close();
    for (const a of agents.splice(0)) a.server.forceShutdown();
  });

  function relayFor(list: FakeAgent[]): ImagePushRelay {
    const nodes = list.map(nodeOf);
    relay = new ImagePushRelay({ list: async <T,>() => ({ items: nodes as unknown as T[], resourceVersion: '1' }) } as never, silentLogger, () => PLAINTEXT);
    return relay;
  }

  it('skips a node holding the image id, names a node that goes away mid-push, and completes the others', async () => {
    const has = await agent('has-it', new FakeEngine(true));
    const ok = await agent('ok', new FakeEngine(false));
    let dying: FakeAgent;
    dying = await agent('dies', new FakeEngine(false, (e) => void (e.chunks === 4 && dying.server.forceShutdown())));
    agents.push(has, ok, dying);
    const { data } = source(40);
    const events = await collect(relayFor(agents).push({ image: 'big:1', imageId: ID, sizeBytes: 40 * CHUNK, nodes: [] }, data, new AbortController().signal));
    assert.deepEqual(events[0], { plan: { targets: ['dies', 'ok'], skipped: ['has-it'] } });
    const results = events.slice(1).map((e) => ('result' in e ? e.result : undefined));
    const died = results.find((r) => r?.node === 'dies');
    assert.ok(died?.error, 'the node that went away is reported with an error');
    assert.deepEqual(results.find((r) => r?.node === 'ok'), { node: 'ok' });
    assert.equal(results.length, 2);
    assert.equal(ok.engine.received, 40 * CHUNK, 'the healthy node got the whole archive');
    assert.ok(ok.engine.loaded);
    assert.equal(has.engine.received, 0, 'nothing sent to the node that has it');
  });

  it('reads the archive only as fast as the slowest node takes it', async () => {
    const fast = await agent('fast', new FakeEngine(false));
    let maxAhead = 0;
    const src = source(120);
    const slow = await agent('slow', new FakeEngine(false, async (e) => {
      maxAhead = Math.max(maxAhead, src.state.pulled - e.chunks);
      await delay(3);
    }));
    agents.push(fast, slow);
    const events = await collect(relayFor(agents).push({ image: 'big:1', imageId: ID, sizeBytes: 0, nodes: ['slow', 'fast'] }, src.data, new AbortController().signal));
    assert.deepEqual(events.slice(1).map((e) => ('result' in e ? e.result.node : '')).sort(), ['fast', 'slow']);
    assert.equal(slow.engine.received, 120 * CHUNK);
    // Without backpressure the relay would pull all 120 chunks (30 MB) while the slow node took a few.
    assert.ok(maxAhead < 60, `the relay read ${maxAhead} chunks ahead of the slow node`);
  });
});
