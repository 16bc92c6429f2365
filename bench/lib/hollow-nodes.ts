// Hollow-node runner for scale benchmarks: starts K in-process agents on the fake runtime (no HTTP
// or stream servers, so a node costs one gRPC channel and a little memory) and prints "ready" once
// every one has a session with the controller. Stops them all on SIGTERM/SIGINT.
//   tsx bench/lib/hollow-nodes.ts --controller 127.0.0.1:7400 --count 250 --first 0 [--name-prefix hollow-] [--max-pods 110]
//     (--token T --ca-hash H | --plaintext-for-benchmarks)
import { silentLogger } from '../../common/log';
import { Agent } from '../../node-agent/agent';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

const GiB = 2 ** 30;
const BATCH = 25;
const START_ATTEMPTS = 3;

async function main(): Promise<void> {
  const controller = arg('controller');
  const count = Number(arg('count'));
  const first = Number(arg('first', '0'));
  const prefix = arg('name-prefix', 'hollow-');
  const maxPods = Number(arg('max-pods', '110'));
  const plaintext = process.argv.includes('--plaintext-for-benchmarks');
  const join = plaintext ? {} : { token: arg('token'), caHash: arg('ca-hash') };
  const makeAgent = (i: number) =>
    new Agent({
      controller,
      name: `${prefix}${i}`,
      runtime: 'fake',
      cpuMillis: 32_000,
      memoryBytes: 128 * GiB,
      maxPods,
      log: silentLogger,
      defaultMetrics: false,
      plaintextForBenchmarks: plaintext,
      ...join,
    });
  const agents: Agent[] = [];
  // A node that fails to start (with TLS: its join timed out while a thousand others joined) is
  // replaced by a fresh one and tried again, as a real agent's service manager would restart it.
  const start = async (i: number): Promise<Agent> => {
    for (let attempt = 1; ; attempt++) {
      const agent = makeAgent(i);
      try {
        await agent.start();
        return agent;
      } catch (e) {
        await agent.stop().catch(() => undefined);
        if (attempt >= START_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  };
  // Start in batches, each once the one before has its sessions, so 1,000 registrations (and, with
  // TLS, key generations and joins) never arrive in one burst, with TLS or without.
  const connected = async (batch: Agent[]) => {
    while (!batch.every((a) => a.session.connected)) await new Promise((r) => setTimeout(r, 100));
  };
  for (let i = first; i < first + count; i += BATCH) {
    const numbers = Array.from({ length: Math.min(BATCH, first + count - i) }, (_, j) => i + j);
    const batch = await Promise.all(numbers.map(start));
    agents.push(...batch);
    await connected(batch);
  }
  await connected(agents);
  process.stdout.write('ready\n');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(agents.map((a) => a.stop().catch(() => undefined)));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`hollow-nodes: ${String(e)}\n`);
  process.exit(1);
});
