// `npm run up -- --nodes N`: N local test hosts (network namespace + own dockerd + own kite-agent
// each) joined to the controller `up.sh` started, built with the same harness the multi-host tests
// use. What was created is written to .kite-local/hosts.json; `npm run down` (or `--down FILE`)
// removes it all. The agents join with a one-hour token made here with the admin's credential
// (handed over in their environment, never on a command line or in a log), deleted once they are
// Ready; their Secret volumes live on a tmpfs each agent mounts in its host's directory, which
// teardown unmounts.
//   tsx deploy/scripts/up-hosts.ts --nodes 3 [--controller-port 7400] [--state .kite-local/hosts.json] [--admin-config ~/.kite/config]
//   tsx deploy/scripts/up-hosts.ts --down .kite-local/hosts.json
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { KiteClient } from '../../common/client';
import type { Node } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import { createHosts, teardownHosts, type HostsState } from '../../test/harness/hosts';

const ROOT = path.resolve(__dirname, '../..');
const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    'controller-port': { type: 'string', default: '7400' },
    state: { type: 'string', default: path.join(process.env.KITE_LOCAL_DIR ?? path.join(ROOT, '.kite-local'), 'hosts.json') },
    'admin-config': { type: 'string', default: process.env.KITE_CONFIG ?? path.join(os.homedir(), '.kite', 'config') },
    down: { type: 'string' },
  },
});

const say = (msg: string) => process.stderr.write(`\x1b[1m==>\x1b[0m ${msg}\n`);

function imageExists(ref: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore', env: { ...process.env, DOCKER_API_VERSION: '1.41' } });
    return true;
  } catch {
    return false;
  }
}

async function up(): Promise<void> {
  const n = Number(values.nodes);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`--nodes must be an integer from 1 to 20, not ${values.nodes}`);
  if (fs.existsSync(values.state)) throw new Error(`${values.state} exists: hosts are already up (npm run down first)`);
  const client = KiteClient.fromConfigFile(values['admin-config'], `127.0.0.1:${values['controller-port']}`, 5000);
  const join = await client.createToken(3600, 'npm run up -- --nodes');
  try {
    const hosts = await createHosts(n, {
      namePrefix: 'host-',
      detached: true,
      images: imageExists('kite-example/web:1') ? ['kite-example/web:1'] : [],
      agentEnv: { KITE_TOKEN: join.token, KITE_CA_HASH: join.ca_hash },
      agentSecurityArgs: (h) => ['--secrets-dir', path.join(h.dir, 'secrets')],
    });
    fs.mkdirSync(path.dirname(values.state), { recursive: true });
    fs.writeFileSync(values.state, JSON.stringify(hosts.state, null, 2));
    // The controller listens on all addresses when started with --nodes; agents reach it at the bridge.
    hosts.startAgents(`${hosts.bridgeIp}:${values['controller-port']}`);
    fs.writeFileSync(values.state, JSON.stringify(hosts.state, null, 2));
    await waitReady(client, hosts.hosts);
    for (const h of hosts.hosts) {
      console.log(`${h.name}  ${h.ip}  netns ${h.netns}  DOCKER_HOST=unix://${h.socket}  agent log ${h.agentLog}`);
    }
    console.log(`\nreach a host: nsenter --net=/var/run/netns/${hosts.hosts[0]!.netns} sh   (hostPorts answer at the host's address)`);
    console.log(`tear down:    npm run down   (or: npx tsx deploy/scripts/up-hosts.ts --down ${values.state})`);
  } finally {
    // Every agent holds its certificate now (or failed): the token has no use left.
    if (join.info) await client.deleteToken(join.info.id).catch(() => undefined);
    client.close();
  }
}

async function waitReady(client: KiteClient, hosts: { name: string; agentLog: string }[]): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    const ready = (await client.list<Node>('Node').catch(() => ({ items: [] as Node[] }))).items.filter(
      (x) => hosts.some((h) => h.name === x.metadata.name) && isNodeReady(x),
    );
    if (ready.length === hosts.length) return;
    if (Date.now() > until) throw new Error(`only ${ready.length} of ${hosts.length} hosts became Ready; agent logs: ${hosts.map((h) => h.agentLog).join(' ')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function down(file: string): void {
  if (!fs.existsSync(file)) return;
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as HostsState;
  teardownHosts(state);
  fs.rmSync(file, { force: true });
  say(`removed test hosts ${state.hosts.map((h) => h.name).join(', ')} and bridge ${state.bridge}`);
}

if (values.down) {
  down(values.down);
} else {
  up().catch((e: unknown) => {
    say(`error: ${e instanceof Error ? e.message : String(e)}`);
    down(values.state);
    process.exit(1);
  });
}
