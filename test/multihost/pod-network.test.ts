// The pod network across three hosts (network namespaces, each with its own dockerd and agent):
// a pod reaches a pod on another host by IP and the server sees the client pod's own address,
// over direct routes and over forced VXLAN; a pod keeps its IP when its container restarts;
// traffic leaving the cluster is masqueraded; `kite-agent --cleanup` leaves nothing behind.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { Node, Pod } from '../../common/api/types';
import type { TestHost } from '../harness/hosts';
import { programCommand } from '../harness/processes';
import { eventually, NS, requireHostTools, startCluster, type MultiHostCluster } from './fixture';

const IMAGE = 'kite-test/busybox:1';

/** httpd answering /cgi-bin/ip with the caller's address (REMOTE_ADDR). */
function echoIpPod(name: string, node: string): Pod {
  const script = 'mkdir -p /www/cgi-bin && printf "#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho \\$REMOTE_ADDR\\n" > /www/cgi-bin/ip && busybox chmod +x /www/cgi-bin/ip && exec httpd -f -p 80 -h /www';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { test: 'pod-network' } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: IMAGE, command: ['sh', '-c', script] }] },
  };
}

function clientPod(name: string, node: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { test: 'pod-network' } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'client', image: IMAGE, command: ['sleep', '3600'] }] },
  };
}

async function runningPod(c: MultiHostCluster, name: string): Promise<Pod> {
  return eventually(
    async () => {
      const p = await c.client().get<Pod>('Pod', name, NS);
      return p.status?.phase === 'Running' && p.status.podIP ? p : undefined;
    },
    60_000,
    `pod ${name} running with an IP`,
  );
}

/** `wget` inside a pod (busybox 1.35's wget -T crashes: bounded by timeout instead). */
async function fetchFrom(c: MultiHostCluster, pod: string, url: string): Promise<string> {
  return eventually(
    async () => {
      const r = await c.cli(['exec', pod, '--', 'timeout', '3', 'wget', '-qO-', url]);
      return r.code === 0 ? r.stdout.trim() : undefined;
    },
    30_000,
    `${pod} fetching ${url}`,
  );
}

function sharedChecks(forceVxlan: boolean) {
  let c: MultiHostCluster | undefined;
  const cluster = () => c!;
  const hosts = () => cluster().hosts.hosts as [TestHost, TestHost, TestHost];

  before(async function () {
    this.timeout(180_000);
    requireHostTools(this);
    c = await startCluster({ hosts: 3, controllers: 1, nodeGraceSeconds: 5, heartbeatMs: 500, agentEnv: forceVxlan ? { KITE_FORCE_VXLAN: '1' } : {} });
    await eventually(async () => {
      const nodes = (await c!.client().list<Node>('Node')).items;
      return nodes.length === 3 && nodes.every((n) => n.spec?.podCIDR) ? true : undefined;
    }, 30_000, 'three nodes with pod CIDRs');
  });

  after(async () => {
    await c?.teardown();
  });

  it('a pod on host A reaches a pod on host C by IP, and the server sees the client pod\'s own IP', async () => {
    const [a, , h3] = hosts();
    await cluster().client().apply([echoIpPod('server', h3.name), clientPod('client', a.name)]);
    const server = await runningPod(cluster(), 'server');
    const client = await runningPod(cluster(), 'client');
    const seen = await fetchFrom(cluster(), 'client', `http://${server.status!.podIP}/cgi-bin/ip`);
    // busybox httpd listens on IPv6 too and names IPv4 peers in their mapped form, in brackets.
    assert.equal(seen.replace(/^\[?(::ffff:)?|\]$/g, ''), client.status!.podIP, 'no masquerade between pods');
    const route = cluster().hosts.exec(a, ['ip', 'route', 'show', server.status!.podIP!.replace(/\.\d+$/, '.0/24')]);
    if (forceVxlan) assert.match(route, /dev kite\.vx/, 'forced VXLAN carries the traffic');
    else assert.match(route, new RegExp(`via ${h3.ip.replace(/\./g, '\\.')} `), 'a direct route via the peer host');
  });

  it('a pod keeps its IP when its container restarts', async () => {
    const before = await runningPod(cluster(), 'server');
    const h = cluster().host(before.spec.nodeName!);
    const running = await cluster().runningOn(h);
    const [id] = running.get(before.metadata.uid!) ?? [];
    assert.ok(id, 'the server container runs on its host');
    await h.docker.getContainer(id).kill();
    const after = await eventually(
      async () => {
        const p = await cluster().client().get<Pod>('Pod', 'server', NS);
        const restarts = p.status?.containerStatuses?.[0]?.restartCount ?? 0;
        return restarts > 0 && p.status?.phase === 'Running' && p.status.podIP ? p : undefined;
      },
      60_000,
      'server restarted',
    );
    assert.equal(after.status!.podIP, before.status!.podIP);
    const seen = await fetchFrom(cluster(), 'client', `http://${after.status!.podIP}/cgi-bin/ip`);
    assert.ok(seen, 'the restarted server answers at the same address');
  });

  it('masquerades traffic leaving the cluster: an outside server sees the host\'s address', async () => {
    const [a] = hosts();
    const bridgeIp = cluster().hosts.bridgeIp;
    const seen: string[] = [];
    const server = net.createServer((s) => {
      seen.push(s.remoteAddress ?? '');
      s.end('HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n');
    });
    await new Promise<void>((r) => server.listen(0, bridgeIp, () => r()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const body = await fetchFrom(cluster(), 'client', `http://${bridgeIp}:${port}/`);
      assert.equal(body, 'ok');
      assert.ok(seen.length > 0 && seen.every((ip) => ip.replace(/^::ffff:/, '') === a.ip), `outside sees ${seen.join(', ')}, want ${a.ip}`);
    } finally {
      server.close();
    }
  });

  it('kite-agent --cleanup leaves no KITE chain, route or kite.vx once the pods are gone', async () => {
    const [a] = hosts();
    await cluster().client().delete('Pod', 'client', NS).catch(() => undefined);
    await cluster().client().delete('Pod', 'server', NS).catch(() => undefined);
    await eventually(async () => ((await cluster().kiteContainersOn(a)).length === 0 ? true : undefined), 60_000, 'no pods left on host A');
    await cluster().hosts.stopAgent(a);
    const cmd = programCommand('node-agent/main.ts');
    cluster().hosts.exec(a, [process.execPath, ...cmd, '--cleanup', '--name', a.name, '--docker-host', `unix://${a.socket}`], 60_000);
    const rules = cluster().hosts.exec(a, ['iptables-save']);
    assert.ok(!/KITE-/.test(rules), `no KITE chains or jumps left:\n${rules.split('\n').filter((l) => l.includes('KITE-')).join('\n')}`);
    assert.equal(cluster().hosts.exec(a, ['ip', '-o', 'route', 'show', 'proto', '77']).trim(), '', 'no routes of the agent left');
    assert.ok(!/kite\.vx/.test(cluster().hosts.exec(a, ['ip', '-o', 'link', 'show'])), 'no kite.vx left');
    const nets = await a.docker.listNetworks({ filters: { name: ['kite'] } });
    assert.equal(nets.filter((n) => n.Name === 'kite').length, 0, 'the kite network is gone');
  });
}

describe('pod network across three hosts (multi-host)', function () {
  this.timeout(120_000);
  describe('direct routes (host-gw)', () => sharedChecks(false));
  describe('forced VXLAN', () => sharedChecks(true));
});
