// The parsing bench:net relies on: wrk's done-hook line and which nat rules put a pod in rotation.
import assert from 'node:assert/strict';
import { dnatsTo } from '../../../bench/lib/nat-rules';
import { parseWrkOutput } from '../../../bench/lib/wrk';

describe('bench:net helpers', () => {
  it('reads wrk\'s done-hook line into milliseconds and requests per second', () => {
    const out = 'Running 8s test @ http://10.244.2.5/\n  2 threads and 8 connections\nKITE_WRK {"requests":4000,"durationUs":8000000,"p50Us":1500,"p99Us":12250,"errors":3}\n';
    assert.deepEqual(parseWrkOutput(out), { requests: 4000, durationMs: 8000, perSecond: 500, p50Ms: 1.5, p99Ms: 12.25, errors: 3 });
  });

  it('fails with wrk\'s output when the done hook printed nothing', () => {
    assert.throws(() => parseWrkOutput('unable to connect to 10.0.0.1:80 Connection refused\n'), /printed no result:\nunable to connect/);
  });

  it('finds a pod in rotation only through a KITE-SEP DNAT to its exact address', () => {
    const save = [
      '*nat',
      '-A KITE-SVC-AAAA -m statistic --mode random --probability 0.5000000000 -j KITE-SEP-BBBB',
      '-A KITE-SEP-BBBB -s 10.244.1.5/32 -j KITE-MARK-MASQ',
      '-A KITE-SEP-BBBB -p tcp -m tcp -j DNAT --to-destination 10.244.1.5:80',
      '-A KITE-SEP-CCCC -p tcp -m tcp -j DNAT --to-destination 10.244.1.50:80',
      'COMMIT',
    ].join('\n');
    assert.equal(dnatsTo(save, '10.244.1.5'), true);
    assert.equal(dnatsTo(save, '10.244.1.50'), true);
    assert.equal(dnatsTo(save, '10.244.1.6'), false);
    // The hairpin rule names the address as a source, which is not rotation.
    assert.equal(dnatsTo('-A KITE-SEP-BBBB -s 10.244.1.7/32 -j KITE-MARK-MASQ', '10.244.1.7'), false);
  });
});
