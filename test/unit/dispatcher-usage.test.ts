// Usage writes for `kite top`: rates from cumulative CPU, and few writes.
import assert from 'node:assert/strict';
import { PodCpuRates, UsageWriteGate, changedMeaningfully, nodeUsageFromHeartbeat, podTotals, usageQuantities } from '../../controller/dispatcher/usage';
import { parseCpu, parseMemory } from '../../common/manifest';

describe('dispatcher usage', () => {
  it('formats usage as quantities the CLI parses', () => {
    const u = usageQuantities(12.4, 5 * 1024 * 1024);
    assert.equal(parseCpu(u.cpu), 12);
    assert.equal(parseMemory(u.memory), 5 * 1024 * 1024);
  });

  it('computes a pod CPU rate over samples at least the span apart, keeping it between them', () => {
    const rates = new PodCpuRates(10_000);
    assert.equal(rates.observe('p', 1.0, 0), undefined);
    assert.equal(rates.observe('p', 1.0, 2_000), undefined, 'the agent re-sends its last sample with each heartbeat');
    assert.equal(rates.observe('p', 1.5, 10_000), 50, '0.5 s of CPU in 10 s is 50m');
    assert.equal(rates.observe('p', 1.5, 12_000), 50);
    assert.equal(rates.observe('p', 0.1, 20_000), 0, 'a counter that went back (restart) is not a negative rate');
  });

  it('sums a pod over its containers', () => {
    const t = podTotals({ uid: 'u', containers: [{ name: 'a', cpu_seconds: 1, memory_working_set_bytes: '100' }, { name: 'b', cpu_seconds: 2, memory_working_set_bytes: '50' }], network_rx_bytes: '0', network_tx_bytes: '0' });
    assert.deepEqual(t, { cpuSeconds: 3, memoryBytes: 150 });
  });

  it('ignores noise: small CPU and memory moves are not a change', () => {
    const base = usageQuantities(100, 100 * 1024 * 1024);
    assert.equal(changedMeaningfully(undefined, base), true);
    assert.equal(changedMeaningfully(base, usageQuantities(104, 100 * 1024 * 1024 + 500_000)), false);
    assert.equal(changedMeaningfully(base, usageQuantities(150, 100 * 1024 * 1024)), true);
    assert.equal(changedMeaningfully(base, usageQuantities(100, 120 * 1024 * 1024)), true);
  });

  it('writes an object at most once per interval, and only on a meaningful change', () => {
    const gate = new UsageWriteGate(10_000);
    const a = usageQuantities(10, 10 * 1024 * 1024);
    const b = usageQuantities(500, 10 * 1024 * 1024);
    assert.equal(gate.shouldWrite('p', a, undefined, 0), true);
    gate.markWritten('p', a, 0);
    assert.equal(gate.shouldWrite('p', b, a, 5_000), false, 'too soon');
    assert.equal(gate.shouldWrite('p', a, a, 20_000), false, 'unchanged');
    assert.equal(gate.shouldWrite('p', b, a, 20_000), true);
  });

  it('stamps node usage with an RFC 3339 time', () => {
    const u = nodeUsageFromHeartbeat({ cpu_usage_millis: '250', memory_usage_bytes: String(64 * 1024 * 1024), pods: [] }, Date.UTC(2024, 0, 2, 3, 4, 5));
    assert.deepEqual(u, { cpu: '250m', memory: '65536Ki', timestamp: '2024-01-02T03:04:05Z' });
  });
});
