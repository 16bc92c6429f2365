// Node failover time on a hollow cluster with the controller's DEFAULT settings (node grace 10 s,
// heartbeat 2 s): 10 hollow nodes (one of them alone in its own process), a Deployment of 100
// replicas; SIGKILL the lone node's process and time until the Deployment is fully available again
// with no pod on the dead node and every pod Running. `npm run bench:failover`
import * as path from 'node:path';
import type { Deployment, KObject } from '../common/api/types';
import { startEtcd } from '../test/harness/etcd';
import { formatTable, makeReport, row, writeReport } from './lib/report';
import { PodTracker, startBenchController, startHollowNodes } from './lib/bench-cluster';

const NODES = 10;
const REPLICAS = 100;
const VICTIM = 'victim-0';

function deployment(ns: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } },
    },
  } as Deployment;
}

async function main(): Promise<void> {
  const started = new Date();
  const etcd = await startEtcd();
  const ctl = await startBenchController({ etcd: etcd.endpoint, prefix: '/kite-failover' });
  const survivors = await startHollowNodes(ctl.target, 0, NODES - 1, 'hollow-');
  const victim = await startHollowNodes(ctl.target, 0, 1, 'victim-');
  const client = ctl.client;
  const ns = 'failover';
  try {
    await client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KObject]);
    const { resourceVersion } = await client.list('Pod', { namespace: ns });
    const tracker = new PodTracker(client, ns, resourceVersion);
    await client.apply([deployment(ns)]);
    await tracker.until((t) => t.running.size === REPLICAS, 60_000, 'all pods Running');
    const onVictim = [...tracker.nodeOf.values()].filter((n) => n === VICTIM).length;
    if (onVictim === 0) throw new Error('no pod landed on the victim node');

    const t0 = performance.now();
    await victim.kill();
    const available = async () => {
      const d = await client.get<Deployment>('Deployment', 'web', ns);
      return d.status?.availableReplicas === REPLICAS;
    };
    let recovered = 0;
    for (;;) {
      await tracker.until(
        (t) => t.running.size === REPLICAS && t.bound.size === REPLICAS && ![...t.nodeOf.values()].includes(VICTIM),
        120_000,
        'pods Running elsewhere',
      );
      if (await available()) {
        recovered = performance.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await tracker.stop();
    const ms = recovered - t0;
    const rows = [row(`node loss: ${onVictim} of ${REPLICAS} pods replaced (grace 10 s, heartbeat 2 s)`, onVictim, ms, undefined, `aim < 15000 ms`)];
    process.stdout.write(formatTable(rows) + '\n');
    const out = path.join(__dirname, 'results', 'failover.json');
    writeReport(out, makeReport('failover', rows, { nodes: NODES, replicas: REPLICAS, podsOnDeadNode: onVictim, recoveryMs: Math.round(ms), aimMs: 15_000 }, started));
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await survivors.stop();
    await victim.stop();
    await ctl.stop();
    await etcd.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
