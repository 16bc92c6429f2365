#!/usr/bin/env node
// kite-agent: runs this host's pods on the local Docker Engine for the Kite controller.
import * as os from 'node:os';
import { Command, Option } from 'commander';
import { createLogger } from '../common/log';
import { checked, envOption } from '../common/flags';
import { runService } from '../common/service';
import { KITE_VERSION } from '../common/version';
import { Agent, dockerTarget } from './agent';
import { DockerExecutor } from './executor/docker';
import { cleanupPodNetwork } from './network/cleanup';
import { cleanupSecretsDir, hostOf } from './pods/secret-volumes';
import { execRunner } from './network/commands';
import { parseLabels, parseTaints } from './node-info';

const program = new Command('kite-agent')
  .description('Kite node agent: registers this host and runs its pods on the local container engine')
  .version(KITE_VERSION)
  .addOption(envOption('--controller <host:port>', 'controller gRPC address', 'KITE_CONTROLLER', '127.0.0.1:7400'))
  .addOption(envOption('--name <name>', 'node name', 'KITE_NODE_NAME', os.hostname().toLowerCase()))
  .addOption(envOption('--labels <k=v,...>', 'node labels', 'KITE_NODE_LABELS').argParser(checked((v) => parseLabels(v))))
  .addOption(envOption('--taints <k=v:Effect,...>', 'node taints', 'KITE_NODE_TAINTS').argParser(checked(parseTaints)))
  .addOption(envOption('--runtime <runtime>', 'docker, or fake for a hollow node', 'KITE_RUNTIME', 'docker').choices(['docker', 'fake']))
  .addOption(envOption('--docker-host <url>', 'Docker Engine endpoint (unix:///var/run/docker.sock or tcp://h:p)', 'DOCKER_HOST'))
  .addOption(envOption('--http <host:port>', 'address for /metrics and /healthz', 'KITE_AGENT_HTTP', '127.0.0.1:7402'))
  .addOption(envOption('--stream <host:port>', 'address the controller dials for logs and exec', 'KITE_AGENT_STREAM', '127.0.0.1:7403'))
  .addOption(envOption('--address <ip>', 'address of this node as others reach it (default: as the controller sees it)', 'KITE_NODE_ADDRESS'))
  .addOption(envOption('--data-dir <dir>', 'where pod volumes live', 'KITE_AGENT_DATA', '/var/lib/kite-agent'))
  .addOption(envOption('--storage-dir <dir>', 'where local-path PersistentVolumes live (default DATA_DIR/storage)', 'KITE_AGENT_STORAGE'))
  .addOption(new Option('--max-pods <n>', 'pods this node accepts').env('KITE_MAX_PODS').default('110'))
  .addOption(new Option('--force-vxlan', 'carry traffic to every peer over VXLAN, even peers on this L2 segment [env KITE_FORCE_VXLAN]').env('KITE_FORCE_VXLAN'))
  .addOption(new Option('--cleanup', 'remove the pod network from this host (routes, kite.vx, KITE-* iptables chains, the kite Docker network when empty) and exit'))
  .addOption(envOption('--token <id.secret>', 'join token from `kite token create` (needed only until this node has a certificate)', 'KITE_TOKEN'))
  .addOption(envOption('--ca-hash <sha256:hex>', "the cluster CA's pin, printed with the token", 'KITE_CA_HASH'))
  .addOption(envOption('--pki-dir <dir>', "where this node's certificate and key are kept (default DATA_DIR/pki)", 'KITE_AGENT_PKI'))
  .addOption(envOption('--secrets-dir <dir>', 'where Secret volumes live; must be (or is mounted as) a tmpfs', 'KITE_AGENT_SECRETS', '/run/kite-agent/secrets'))
  // Only the benchmarks' TLS-cost baseline uses this; it is deliberately absent from --help.
  .addOption(new Option('--plaintext-for-benchmarks', 'talk to a --plaintext-for-benchmarks controller without TLS').hideHelp())
  .addOption(envOption('--log-level <level>', 'trace, debug, info, warn or error', 'KITE_LOG_LEVEL', 'info'));

program.parse();
const o = program.opts<{
  controller: string;
  name: string;
  labels?: Record<string, string>;
  taints?: { key: string; value: string; effect: string }[];
  runtime: 'docker' | 'fake';
  dockerHost?: string;
  http: string;
  stream: string;
  address?: string;
  dataDir: string;
  storageDir?: string;
  maxPods: string;
  logLevel: string;
  forceVxlan?: boolean;
  cleanup?: boolean;
  token?: string;
  caHash?: string;
  pkiDir?: string;
  secretsDir: string;
  plaintextForBenchmarks?: boolean;
}>();
const maxPods = Number(o.maxPods);
if (!Number.isInteger(maxPods) || maxPods <= 0) program.error(`error: option '--max-pods <n>' argument '${o.maxPods}' must be a positive integer`);
const log = createLogger({ level: o.logLevel, name: 'kite-agent' });

if (o.cleanup) {
  // Only on request: a stopping agent leaves the network alone, as its pods keep running.
  const docker = o.runtime === 'docker' ? new DockerExecutor({ nodeName: o.name, ...dockerTarget(o.dockerHost) }).docker : undefined;
  void (async () => {
    const r = await cleanupPodNetwork(execRunner, docker);
    const s = await cleanupSecretsDir(o.secretsDir, hostOf(execRunner));
    const done = [...r.done, ...s.done];
    const problems = [...r.problems, ...s.problems];
    for (const line of done) log.info(line);
    for (const line of problems) log.error(line);
    if (!done.length && !problems.length) log.info('nothing of the pod network to remove');
    process.exit(problems.length ? 1 : 0);
  })();
} else {
const agent = new Agent({
  controller: o.controller,
  name: o.name,
  labels: o.labels,
  taints: o.taints,
  runtime: o.runtime,
  dockerHost: o.dockerHost,
  httpListen: o.http,
  streamListen: o.stream,
  address: o.address,
  dataDir: o.dataDir,
  storageDir: o.storageDir,
  maxPods,
  forceVxlan: o.forceVxlan ?? false,
  token: o.token,
  caHash: o.caHash,
  pkiDir: o.pkiDir,
  secretsDir: o.secretsDir,
  plaintextForBenchmarks: o.plaintextForBenchmarks,
  log,
});

runService('agent', agent, log, 'stopping (pods keep running; a restarted agent adopts them)');
}
