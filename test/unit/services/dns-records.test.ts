// Hostname records of headless services (StatefulSet pods): <hostname>.<svc>.<ns>.svc.<domain>.
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import type { Endpoints } from '../../../common/api/types';
import { type Resolution, type ServiceLookup, resolveQuestion } from '../../../node-agent/network/dns-records';
import { service } from './fixtures';

const DOMAIN = 'cluster.local';

/** The `db` headless service of StatefulSet `web`: web-0 and web-1 ready (named), web-2 not ready, one unnamed pod. */
const headless = service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] });
const named: Endpoints = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'db', namespace: 'default' },
  subsets: [{
    addresses: [{ ip: '10.244.1.5', hostname: 'web-0' }, { ip: '10.244.2.7', hostname: 'web-1' }, { ip: '10.244.1.9' }],
    notReadyAddresses: [{ ip: '10.244.3.3', hostname: 'web-2' }],
    ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
  }],
};
const clusterIp = service('api', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
const apiEndpoints: Endpoints = { ...named, metadata: { name: 'api', namespace: 'default' } };

const lookup: ServiceLookup = {
  service: (ns, name) => (ns !== 'default' ? undefined : name === 'db' ? headless : name === 'api' ? clusterIp : undefined),
  endpoints: (ns, name) => (ns !== 'default' ? undefined : name === 'db' ? named : name === 'api' ? apiEndpoints : undefined),
};

const ask = (name: string, type: 'A' | 'SRV' = 'A') => resolveQuestion({ name, type, class: 'IN' }, DOMAIN, lookup);
const data = (r: Resolution) => (r.kind === 'answer' ? r.answers.map((a: Answer) => (a.type === 'OPT' ? undefined : a.data)) : 'forward');
const rcode = (r: Resolution) => (r.kind === 'answer' ? r.rcode : 'forward');

describe('DNS records: pod hostnames of headless services', () => {
  it('answers <hostname>.<svc>.<ns>.svc.<domain> with that ready pod only, in any case', () => {
    assert.deepEqual(data(ask('web-0.db.default.svc.cluster.local')), ['10.244.1.5']);
    assert.deepEqual(data(ask('web-1.db.default.svc.cluster.local.')), ['10.244.2.7']);
    assert.deepEqual(data(ask('WEB-1.DB.default.svc.cluster.local')), ['10.244.2.7']);
  });

  it('a pod that is not ready, or a hostname no address has, is NXDOMAIN', () => {
    assert.equal(rcode(ask('web-2.db.default.svc.cluster.local')), 'NXDOMAIN');
    assert.equal(rcode(ask('web-9.db.default.svc.cluster.local')), 'NXDOMAIN');
  });

  it('still answers the dashed-address form and the service name with every ready pod', () => {
    assert.deepEqual(data(ask('10-244-1-9.db.default.svc.cluster.local')), ['10.244.1.9']);
    assert.deepEqual(data(ask('db.default.svc.cluster.local')), ['10.244.1.5', '10.244.2.7', '10.244.1.9']);
  });

  it('gives no hostname records for a service with a cluster IP (as CoreDNS)', () => {
    assert.equal(rcode(ask('web-0.api.default.svc.cluster.local')), 'NXDOMAIN');
  });

  it('SRV records of a headless service point at the pods by hostname when they have one', () => {
    const r = ask('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    const targets = (r.kind === 'answer' ? r.answers : []).map((a) => (a.type === 'SRV' ? a.data.target : ''));
    assert.deepEqual(targets, ['web-0.db.default.svc.cluster.local', 'web-1.db.default.svc.cluster.local', '10-244-1-9.db.default.svc.cluster.local']);
    const additional = (r.kind === 'answer' ? r.additionals : []).map((a) => [a.name, a.type === 'A' ? a.data : '']);
    assert.deepEqual(additional[0], ['web-0.db.default.svc.cluster.local', '10.244.1.5']);
  });
});
