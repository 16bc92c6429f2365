import assert from 'node:assert/strict';
import { parseExpose, parsePortSpec } from '../../../common/compose/ports';

describe('Compose port mappings', () => {
  const cases: [string | number | Record<string, unknown>, ReturnType<typeof parsePortSpec>][] = [
    ['80', [{ target: 80, protocol: 'TCP' }]],
    [80, [{ target: 80, protocol: 'TCP' }]],
    ['8080:80', [{ target: 80, published: 8080, protocol: 'TCP' }]],
    ['127.0.0.1:8080:80/udp', [{ target: 80, published: 8080, protocol: 'UDP', hostIp: '127.0.0.1' }]],
    ['127.0.0.1::80', [{ target: 80, protocol: 'TCP', hostIp: '127.0.0.1' }]],
    ['[::1]:6001:6001', [{ target: 6001, published: 6001, protocol: 'TCP', hostIp: '::1' }]],
    ['8000-8001:9000-9001', [{ target: 9000, published: 8000, protocol: 'TCP' }, { target: 9001, published: 8001, protocol: 'TCP' }]],
    ['9090-9091:8080', [{ target: 8080, published: 9090, protocol: 'TCP' }]],
    ['3000-3001', [{ target: 3000, protocol: 'TCP' }, { target: 3001, protocol: 'TCP' }]],
    [{ target: 80, published: '8080', protocol: 'udp', name: 'web', host_ip: '0.0.0.0' }, [{ target: 80, published: 8080, protocol: 'UDP', hostIp: '0.0.0.0', name: 'web' }]],
  ];
  for (const [spec, expected] of cases) it(`${JSON.stringify(spec)}`, () => assert.deepEqual(parsePortSpec(spec), expected));

  const bad: [string, RegExp][] = [
    ['eighty', /"eighty" is not a port number/],
    ['8080:80/sctp', /protocol "sctp" is not supported/],
    ['70000:80', /70000 is not a port number/],
    ['8000-8002:9000-9001', /differ in length/],
    ['1:2:3:4', /expected/],
    ['90-80', /ends before it starts/],
  ];
  for (const [spec, re] of bad) it(`refuses ${spec}`, () => assert.throws(() => parsePortSpec(spec), re));

  it('expose entries', () => {
    assert.deepEqual(parseExpose('53/udp'), [{ port: 53, protocol: 'UDP' }]);
    assert.deepEqual(parseExpose(8000), [{ port: 8000, protocol: 'TCP' }]);
  });
});
