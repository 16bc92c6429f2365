import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../common/api/types';
import { validateObject } from '../../../common/manifest/validate';
import { hostAliasEntries, resolvConf } from '../../../node-agent/executor/docker';
import { nodeResolver, parseResolvConf, podDns, type DnsSettings } from '../../../node-agent/network/pod-dns';

const cluster: DnsSettings = { servers: ['10.244.1.1'], search: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] };
const node: DnsSettings = { servers: ['192.168.1.1'], search: ['lan'], options: ['edns0'] };
const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } });
const dns = (spec: Partial<Pod['spec']>) => podDns(pod(spec), cluster, () => node);

describe('pod DNS policy', () => {
  it('ClusterFirst (the default) asks the cluster DNS; on the host network it means Default (the engine keeps the host resolver)', () => {
    assert.deepEqual(dns({}), cluster);
    assert.deepEqual(dns({ dnsPolicy: 'ClusterFirst' }), cluster);
    assert.equal(dns({ hostNetwork: true }), undefined);
    assert.equal(dns({ hostNetwork: true, dnsPolicy: 'Default' }), undefined);
  });

  it('ClusterFirstWithHostNet gives a host-network pod the cluster DNS; Default gives any pod the node resolver', () => {
    assert.deepEqual(dns({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), cluster);
    assert.deepEqual(dns({ dnsPolicy: 'Default' }), node);
  });

  it('merges dnsConfig: nameservers and searches appended without duplicates (at most 3 servers), options replaced by name', () => {
    const d = dns({ dnsConfig: { nameservers: ['1.1.1.1', '10.244.1.1', '8.8.8.8', '9.9.9.9'], searches: ['corp.example', 'svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }] } });
    assert.deepEqual(d, {
      servers: ['10.244.1.1', '1.1.1.1', '8.8.8.8'],
      search: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
      options: ['ndots:2', 'single-request-reopen'],
    });
  });

  it('None starts from nothing but dnsConfig', () => {
    assert.deepEqual(dns({ dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'], searches: ['a.example'] } }), { servers: ['9.9.9.9'], search: ['a.example'], options: [] });
  });

  it('writes resolv.conf without empty search/options lines', () => {
    assert.equal(resolvConf({ servers: ['9.9.9.9'], search: [], options: [] }), 'nameserver 9.9.9.9\n');
    assert.equal(resolvConf(cluster), 'nameserver 10.244.1.1\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');
  });

  it("reads the node's resolver, skipping a loopback stub (systemd-resolved) for the upstream list", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-dns-'));
    try {
      writeFileSync(join(dir, 'stub'), '# managed\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n');
      writeFileSync(join(dir, 'upstream'), 'nameserver 192.168.1.1\nnameserver 127.0.0.1\nsearch lan\n');
      assert.deepEqual(nodeResolver([join(dir, 'stub'), join(dir, 'upstream')]), { servers: ['192.168.1.1'], search: ['lan'], options: [] });
      assert.deepEqual(nodeResolver([join(dir, 'missing'), join(dir, 'stub')]).servers, ['127.0.0.53']);
      assert.deepEqual(parseResolvConf('nameserver 1.2.3.4 # x\ndomain corp\n'), { servers: ['1.2.3.4'], search: ['corp'], options: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns hostAliases into engine ExtraHosts', () => {
    assert.deepEqual(hostAliasEntries(pod({ hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.4' }] })), ['foo.local:10.1.2.3', 'bar.local:10.1.2.3']);
  });

  it('validates dnsPolicy, dnsConfig and hostAliases', () => {
    const errors = (spec: Record<string, unknown>) => validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } }).errors.map((e) => `${e.path}: ${e.message}`).join('\n');
    const warnings = (spec: Record<string, unknown>) => validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } }).warnings;
    assert.equal(errors({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true, dnsConfig: { options: [{ name: 'ndots', value: '2' }] }, hostAliases: [{ ip: '10.0.0.1', hostnames: ['a.b'] }], enableServiceLinks: false }), '');
    assert.deepEqual(warnings({ dnsPolicy: 'Default', enableServiceLinks: false }), []);
    assert.match(errors({ dnsPolicy: 'Cluster' }), /spec\.dnsPolicy: unsupported value/);
    assert.match(errors({ dnsPolicy: 'None' }), /spec\.dnsConfig: must give at least one nameserver when dnsPolicy is None/);
    assert.match(errors({ dnsConfig: { nameservers: ['dns.example'] } }), /nameservers\[0\]: .*IPv4/);
    assert.match(errors({ hostAliases: [{ ip: '300.1.1.1' }] }), /hostAliases\[0\]\.ip: .*IPv4/);
  });
});
