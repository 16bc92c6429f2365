// How the benches pair TLS figures with the plaintext baseline and judge the 1.15x aim.
import assert from 'node:assert/strict';
import { row } from '../../../bench/lib/report';
import { medianRows, runOrder, tlsCost, tlsSummary, withPlaintextBaselines } from '../../../bench/lib/tls-cost';

describe('bench TLS cost helpers', () => {
  it('judges the ratio TLS/plaintext against 1.15x, inclusive', () => {
    assert.deepEqual(tlsCost('op', 115, 100), { operation: 'op', tlsMs: 115, plaintextMs: 100, ratio: 1.15, met: true });
    assert.equal(tlsCost('op', 116, 100).met, false);
    assert.equal(tlsCost('op', 90, 100).met, true);
    assert.equal(tlsCost('op', 5, 0).met, false);
  });

  it('alternates which mode runs first, round by round', () => {
    assert.deepEqual(runOrder(1), ['tls', 'plaintext']);
    assert.deepEqual(runOrder(3), ['tls', 'plaintext', 'plaintext', 'tls', 'tls', 'plaintext']);
  });

  it('takes, per operation, the run with the median wall time', () => {
    const runs = [30, 10, 20].map((ms) => [row('kite list', 10, ms), row('kite apply', 10, 100 - ms)]);
    const median = medianRows(runs);
    assert.deepEqual(
      median.map((r) => [r.operation, r.wallMs]),
      [['kite list', 20], ['kite apply', 80]],
    );
    assert.match(median[0]!.note!, /median of 3 runs/);
    assert.throws(() => medianRows([[row('a', 1, 1)], [row('b', 1, 1)]]), /disagree on row 0/);
  });

  it('puts the plaintext figure under each measured TLS row with the ratio, and keeps the others as they were', () => {
    const tls = [row('parse', 5, 7), row('kite apply', 100, 230, [1, 2], '3.0x raw etcd'), row('  raw etcd put', 100, 80)];
    const plaintext = [row('parse', 5, 6), row('kite apply', 100, 200, [1, 3]), row('  raw etcd put', 100, 81)];
    const { rows, costs } = withPlaintextBaselines(tls, plaintext, (r) => r.operation.startsWith('kite'));
    assert.deepEqual(rows.map((r) => r.operation), ['parse', 'kite apply', '  plaintext controller (baseline)', '  raw etcd put']);
    assert.equal(rows[1]!.note, '3.0x raw etcd');
    assert.equal(rows[2]!.wallMs, 200);
    assert.equal(rows[2]!.p99Ms, 3);
    assert.equal(rows[2]!.note, 'TLS 1.15x plaintext: aim <=1.15x met');
    assert.deepEqual(costs, [{ operation: 'kite apply', tlsMs: 230, plaintextMs: 200, ratio: 1.15, met: true }]);
    assert.match(tlsSummary([...costs, tlsCost('kite list', 150, 100)]), /1 of 2 operations within 1.15x; worst 1.50x \(kite list\)/);
    assert.throws(() => withPlaintextBaselines(tls, plaintext.slice(1), () => true), /3 rows, the plaintext run 2/);
  });

  it('shows rows not held to the aim with their ratio but leaves them out of the verdict', () => {
    const tls = [row('nodes Ready', 10, 300), row('scenario A', 100, 110)];
    const plaintext = [row('nodes Ready', 10, 200), row('scenario A', 100, 100)];
    const { rows, costs } = withPlaintextBaselines(tls, plaintext, () => true, (r) => r.operation.startsWith('scenario'));
    assert.equal(rows[1]!.note, 'TLS 1.50x plaintext (not held to the aim)');
    assert.equal(rows[3]!.note, 'TLS 1.10x plaintext: aim <=1.15x met');
    assert.deepEqual(costs.map((c) => c.operation), ['scenario A']);
  });
});
