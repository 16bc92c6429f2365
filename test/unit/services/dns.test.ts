import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { createLogger } from '../../../common/log';
import { DnsServer, upstreamsFromResolvConf } from '../../../node-agent/network/dns-server';
import { ServiceCache } from '../../../node-agent/network/service-cache';
import { endpoints, service } from './fixtures';

const log = createLogger({ level: 'silent', name: 'dns-test' });
const ADDR = '127.0.0.53';

function udpQuery(port: number, name: string, type: dnsPacket.RecordType = 'A', id = 4242): Promise<dnsPacket.DecodedPacket & { rcode?: string }> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`no answer for ${name}`));
    }, 3000);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(dnsPacket.decode(m));
    });
    s.send(dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] }), port, ADDR);
  });
}

function tcpQuery(port: number, name: string, type: dnsPacket.RecordType = 'A'): Promise<dnsPacket.DecodedPacket & { rcode?: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, ADDR, () => s.write(dnsPacket.streamEncode({ type: 'query', id: 7, questions: [{ type, name }] })));
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        s.destroy();
        resolve(dnsPacket.decode(buf.subarray(2)));
      }
    });
    s.on('error', reject);
  });
}

/** The data of records other than OPT (which has none). */
const dataOf = (a: dnsPacket.Answer): unknown => (a.type === 'OPT' ? undefined : a.data);
const ips = (p: dnsPacket.DecodedPacket) => (p.answers ?? []).filter((a) => a.type === 'A').map((a) => dataOf(a) as string).sort();

describe('DNS server for pods', () => {
  const cache = new ServiceCache();
  let server: DnsServer;
  let upstream: dgram.Socket;
  const upstreamSaw: string[] = [];

  before(async () => {
    // A stand-in for the host's resolver: answers every name with 203.0.113.7.
    upstream = dgram.createSocket('udp4');
    upstream.on('message', (m, r) => {
      const q = dnsPacket.decode(m);
      upstreamSaw.push(q.questions![0]!.name);
      upstream.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: q.questions, answers: [{ type: 'A', name: q.questions![0]!.name, ttl: 60, data: '203.0.113.7' }] }), r.port, r.address);
    });
    await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
    cache.apply(
      true,
      [
        service('web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
        service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }, 'data'),
        service('empty', { clusterIP: 'None', ports: [{ port: 1 }] }),
      ],
      [endpoints('db', ['10.244.1.4', '10.244.2.4'], [{ name: 'pg', port: 5432 }], { namespace: 'data', notReady: ['10.244.3.4'] })],
      [],
      [],
    );
    server = new DnsServer({ address: ADDR, port: 0, domain: 'cluster.local', lookup: cache, upstreams: [`127.0.0.1:${(upstream.address()).port}`], log, forwardTimeoutMs: 500 });
    await server.start();
  });

  after(async () => {
    await server?.stop();
    upstream?.close();
  });

  it('answers every form of a service name with its virtual IP, authoritatively', async () => {
    for (const name of ['web.default.svc.cluster.local', 'web.default.svc.cluster.local.', 'WEB.Default.svc.cluster.local', 'web.default', 'web.default.svc']) {
      const res = await udpQuery(server.port, name);
      assert.equal(res.rcode, 'NOERROR', name);
      assert.deepEqual(ips(res), ['10.96.0.10'], name);
      assert.equal(res.flag_aa, true);
      assert.equal(res.id, 4242);
    }
  });

  it('answers a headless service with its ready pod IPs only, and each pod by its dashed address', async () => {
    assert.deepEqual(ips(await udpQuery(server.port, 'db.data.svc.cluster.local')), ['10.244.1.4', '10.244.2.4']);
    assert.deepEqual(ips(await udpQuery(server.port, '10-244-2-4.db.data.svc.cluster.local')), ['10.244.2.4']);
    assert.equal((await udpQuery(server.port, '10-244-3-4.db.data.svc.cluster.local')).rcode, 'NXDOMAIN', 'not ready');
    assert.equal((await udpQuery(server.port, 'empty.default.svc.cluster.local')).rcode, 'NXDOMAIN', 'headless without ready pods');
  });

  it('gives SRV records for named ports, with the targets\' addresses', async () => {
    const res = await udpQuery(server.port, '_http._tcp.web.default.svc.cluster.local', 'SRV');
    assert.deepEqual(res.answers?.map(dataOf), [{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    assert.deepEqual(ips({ ...res, answers: res.additionals }), ['10.96.0.10']);
    const udp = await udpQuery(server.port, '_dns._udp.web.default.svc.cluster.local', 'SRV');
    assert.equal((dataOf(udp.answers![0]!) as { port: number }).port, 53);
    const headless = await udpQuery(server.port, '_pg._tcp.db.data.svc.cluster.local', 'SRV');
    assert.deepEqual(headless.answers?.map((a) => (dataOf(a) as { target: string }).target).sort(), ['10-244-1-4.db.data.svc.cluster.local', '10-244-2-4.db.data.svc.cluster.local']);
    assert.equal((await udpQuery(server.port, '_nope._tcp.web.default.svc.cluster.local', 'SRV')).rcode, 'NXDOMAIN');
  });

  it('says NXDOMAIN for unknown names in the cluster domain, and an empty NOERROR for other types of known names', async () => {
    assert.equal((await udpQuery(server.port, 'nope.default.svc.cluster.local')).rcode, 'NXDOMAIN');
    assert.equal((await udpQuery(server.port, 'web.default.default.svc.cluster.local')).rcode, 'NXDOMAIN', 'a search-path miss');
    const aaaa = await udpQuery(server.port, 'web.default.svc.cluster.local', 'AAAA');
    assert.equal(aaaa.rcode, 'NOERROR');
    assert.deepEqual(aaaa.answers, []);
    assert.equal((await udpQuery(server.port, 'svc.cluster.local')).rcode, 'NOERROR');
  });

  it('forwards every other name to the upstream resolver and relays its answer', async () => {
    const res = await udpQuery(server.port, 'example.com', 'A', 999);
    assert.deepEqual(ips(res), ['203.0.113.7']);
    assert.equal(res.id, 999);
    // A two-label name that is not a service goes out too.
    assert.deepEqual(ips(await udpQuery(server.port, 'nope.default')), ['203.0.113.7']);
    assert.ok(upstreamSaw.includes('example.com') && upstreamSaw.includes('nope.default'));
    assert.ok(!upstreamSaw.some((n) => n.endsWith('cluster.local')), 'cluster names never leave');
  });

  it('answers over TCP as well', async () => {
    assert.deepEqual(ips(await tcpQuery(server.port, 'web.default.svc.cluster.local')), ['10.96.0.10']);
  });

  it('sees cache changes at once', async () => {
    cache.apply(false, [service('late', { clusterIP: '10.96.0.77', ports: [{ port: 80 }] })], [], ['default/web'], []);
    assert.deepEqual(ips(await udpQuery(server.port, 'late.default.svc.cluster.local')), ['10.96.0.77']);
    assert.equal((await udpQuery(server.port, 'web.default.svc.cluster.local')).rcode, 'NXDOMAIN');
  });

  it('answers SERVFAIL when no upstream answers', async () => {
    const lonely = new DnsServer({ address: ADDR, port: 0, domain: 'cluster.local', lookup: cache, upstreams: ['127.0.0.1:9'], log, forwardTimeoutMs: 200 });
    await lonely.start();
    try {
      assert.equal((await udpQuery(lonely.port, 'example.org')).rcode, 'SERVFAIL');
    } finally {
      await lonely.stop();
    }
  });

  it('reads upstreams from resolv.conf, never itself', () => {
    const conf = '# comment\nnameserver 10.0.0.2\nnameserver 10.244.1.1\nnameserver 127.0.0.11\nnameserver ::1\nsearch x\n';
    assert.deepEqual(upstreamsFromResolvConf(conf, ['10.244.1.1', '127.0.0.11']), ['10.0.0.2']);
  });
});
