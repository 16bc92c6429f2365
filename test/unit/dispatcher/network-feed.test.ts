import assert from 'node:assert/strict';
import type { Endpoints, Node, Service } from '../../../common/api/types';
import type { ControllerMessage } from '../../../common/generated/kite/v1/ControllerMessage';
import { silentLogger } from '../../../common/log';
import { MemoryStore } from '../../../controller/store/memory-store';
import { SharedInformers } from '../../../controller/informers';
import { NetworkFeed, VTEP_MAC_ANNOTATION } from '../../../controller/dispatcher/network-feed';
import type { AgentSession } from '../../../controller/dispatcher/session';

const turn = () => new Promise((r) => setImmediate(r));

function node(name: string, ip: string, podCIDR?: string, vtep?: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...(vtep ? { annotations: { [VTEP_MAC_ANNOTATION]: vtep } } : {}) },
    spec: podCIDR ? { podCIDR } : {},
    status: { addresses: [{ type: 'InternalIP', address: ip }] },
  } as Node;
}

const service = (name: string): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 80 }] } });

describe('network feed (routes and services for agents)', () => {
  let store: MemoryStore;
  let informers: SharedInformers;
  let feed: NetworkFeed;
  const sessions: { nodeName: string; sent: ControllerMessage[]; send(m: ControllerMessage): void }[] = [];
  const session = (nodeName: string) => {
    const s = { nodeName, sent: [] as ControllerMessage[], send: (m: ControllerMessage) => void s.sent.push(m) };
    sessions.push(s);
    return s;
  };

  beforeEach(async () => {
    sessions.length = 0;
    store = new MemoryStore();
    informers = new SharedInformers(store, silentLogger);
    feed = new NetworkFeed(informers, () => sessions as unknown as AgentSession[]);
    informers.start();
    await informers.synced(['Node', 'Service', 'Endpoints']);
  });
  afterEach(() => informers.stop());

  it('welcomes a session with its peers (not itself, not nodes without a subnet) and the full service set', async () => {
    await store.create(node('a', '10.0.0.1', '10.244.0.0/24', '02:00:00:00:00:0a'));
    await store.create(node('b', '10.0.0.2', '10.244.1.0/24'));
    await store.create(node('c', '10.0.0.3'));
    await store.create(service('web'));
    await turn();
    const s = session('a');
    feed.welcome(s as unknown as AgentSession);
    assert.deepEqual(s.sent[0]?.peers?.peers, [{ node: 'b', address: '10.0.0.2', pod_cidr: '10.244.1.0/24', vtep_mac: '' }]);
    const full = s.sent[1]?.services;
    assert.equal(full?.full, true);
    assert.equal(full?.sequence, '1');
    assert.deepEqual(full?.services_json?.map((j) => (JSON.parse(j) as Service).metadata.name), ['web']);
  });

  it('sends service and endpoint changes as sequenced increments, coalesced per turn', async () => {
    const s = session('a');
    feed.welcome(s as unknown as AgentSession);
    s.sent.length = 0;
    await store.create(service('web'));
    await store.create(service('api'));
    const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }] }] };
    await store.create(ep);
    await turn();
    await turn();
    const incs = s.sent.map((m) => m.services!).filter(Boolean);
    assert.ok(incs.length >= 1);
    assert.deepEqual(incs.map((u) => u.sequence), incs.map((_u, i) => String(2 + i)), 'sequence follows the full set without gaps');
    assert.deepEqual(incs.flatMap((u) => u.services_json!.map((j) => (JSON.parse(j) as Service).metadata.name)).sort(), ['api', 'web']);
    s.sent.length = 0;
    await store.delete('Service', 'default', 'api');
    await turn();
    await turn();
    assert.deepEqual(s.sent.map((m) => m.services?.removed_services), [['default/api']]);
  });

  it('tells every session about a node that got a subnet, but not about heartbeat-only changes', async () => {
    await store.create(node('a', '10.0.0.1', '10.244.0.0/24'));
    await turn();
    const s = session('a');
    feed.welcome(s as unknown as AgentSession);
    s.sent.length = 0;
    const b = await store.create(node('b', '10.0.0.2'));
    await turn();
    await turn();
    const withSubnet = await store.update({ ...b, spec: { podCIDR: '10.244.1.0/24' } } as Node);
    await turn();
    await turn();
    assert.deepEqual(s.sent.map((m) => m.peers?.peers?.map((p) => p.node)), [['b']]);
    s.sent.length = 0;
    await store.updateStatus({ ...withSubnet, status: { ...withSubnet.status, conditions: [{ type: 'Ready', status: 'True' }] } } as Node);
    await turn();
    await turn();
    assert.deepEqual(s.sent, []);
  });
});
