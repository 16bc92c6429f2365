import assert from 'node:assert/strict';
import * as os from 'node:os';
import { HostUsage } from '../../node-agent/host-usage';

describe('host usage (for kite top nodes)', () => {
  it('reports memory in use between zero and the total, and CPU as a rate from the second sample', async () => {
    const h = new HostUsage();
    const first = h.sample();
    assert.equal(first.cpuMillis, 0, 'no rate from one sample');
    assert.ok(first.memoryBytes > 0 && first.memoryBytes < os.totalmem());
    const until = Date.now() + 200;
    while (Date.now() < until) Math.sqrt(Math.random()); // keep a core busy between the samples
    const second = h.sample();
    assert.ok(second.cpuMillis > 0 && second.cpuMillis <= os.cpus().length * 1000, `cpu ${second.cpuMillis}m`);
  });
});
