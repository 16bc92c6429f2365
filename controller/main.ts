#!/usr/bin/env node
// kite-controller: API server, dispatcher, scheduler and reconcilers in one process.
import { Command, Option } from 'commander';
import { createLogger } from '../common/log';
import { checked, envOption, positiveNumber } from '../common/flags';
import { errorMessage } from '../common/errors';
import { runService } from '../common/service';
import { KITE_VERSION } from '../common/version';
import { Controller } from './controller';
import { DEFAULT_CLUSTER_CIDR, DEFAULT_SERVICE_CIDR, networkPlan } from './network';
import { runSecretsCommand } from './secrets-command';
import { DEFAULT_KEYS_FILE } from './security/defaults';
import { parseDuration } from '../common/flags';

if (process.argv[2] === 'secrets') {
  // `kite-controller secrets rotate-key`: a maintenance command, not the server.
  runSecretsCommand(process.argv.slice(3));
} else {
  runController();
}

function runController(): void {

const program = new Command('kite-controller')
  .usage('[options]   (or: kite-controller secrets rotate-key --help)')
  .description('Kite control plane: API, dispatcher for agents, scheduler and reconcilers')
  .version(KITE_VERSION)
  .addOption(envOption('--etcd <urls>', 'etcd endpoints, comma separated', 'KITE_ETCD', 'http://127.0.0.1:2379'))
  .addOption(envOption('--listen <host:port>', 'gRPC address for the CLI and agents', 'KITE_LISTEN', '127.0.0.1:7400'))
  .addOption(envOption('--http <host:port>', 'HTTP address for /metrics, /healthz, /readyz and /sd', 'KITE_HTTP', '127.0.0.1:7401'))
  .addOption(envOption('--kube-api-listen <host:port>', 'HTTPS address of the Kubernetes API, for kubectl and Kubernetes clients', 'KITE_KUBE_API_LISTEN', '127.0.0.1:6443'))
  .addOption(envOption('--id <id>', 'this controller\'s identity in leader election', 'KITE_ID'))
  .addOption(envOption('--etcd-prefix <prefix>', 'key prefix for everything Kite stores', 'KITE_ETCD_PREFIX', '/kite'))
  .addOption(envOption('--node-grace <seconds>', 'seconds without heartbeat before a node is NotReady', 'KITE_NODE_GRACE', '10').argParser(checked(positiveNumber('--node-grace'))))
  .addOption(envOption('--heartbeat <ms>', 'heartbeat period agents are told to use', 'KITE_HEARTBEAT_MS', '2000').argParser(checked(positiveNumber('--heartbeat'))))
  .addOption(envOption('--leader-ttl <seconds>', 'leader lease TTL', 'KITE_LEADER_TTL', '3').argParser(checked(positiveNumber('--leader-ttl'))))
  .addOption(envOption('--cluster-cidr <cidr>', 'IPv4 range of pod addresses; each node gets a /24 of it', 'KITE_CLUSTER_CIDR', DEFAULT_CLUSTER_CIDR))
  .addOption(envOption('--service-cidr <cidr>', 'IPv4 range of service virtual IPs; must not overlap --cluster-cidr', 'KITE_SERVICE_CIDR', DEFAULT_SERVICE_CIDR))
  .addOption(envOption('--keys-file <path>', 'encryption keys for Secrets and the CA key in etcd (created if missing; copy it to every controller)', 'KITE_KEYS_FILE', DEFAULT_KEYS_FILE))
  .addOption(envOption('--admin-config <path>', "write the admin's credential here at start (mode 0600), as the CLI reads from ~/.kite/config", 'KITE_ADMIN_CONFIG'))
  .addOption(envOption('--cert-validity <duration>', "lifetime of the controller's and nodes' certificates (renewed at two thirds)", 'KITE_CERT_VALIDITY', '24h').argParser(checked((v) => parseDuration(v, '--cert-validity'))))
  .addOption(envOption('--etcd-cafile <path>', "CA certificate to verify etcd's serving certificate (TLS to etcd)", 'KITE_ETCD_CAFILE'))
  .addOption(envOption('--etcd-certfile <path>', 'client certificate for etcd', 'KITE_ETCD_CERTFILE'))
  .addOption(envOption('--etcd-keyfile <path>', 'client key for etcd', 'KITE_ETCD_KEYFILE'))
  .addOption(envOption('--max-watches-per-client <n>', 'watches one client may hold open', 'KITE_MAX_WATCHES', '1024').argParser(checked(positiveNumber('--max-watches-per-client'))))
  // Only the benchmarks' TLS-cost baseline uses this; it is deliberately absent from --help.
  .addOption(new Option('--plaintext-for-benchmarks', 'serve without TLS or authentication (benchmark baseline only)').hideHelp())
  .addOption(envOption('--log-level <level>', 'trace, debug, info, warn or error', 'KITE_LOG_LEVEL', 'info'));

program.parse();
const o = program.opts<{
  etcd: string;
  listen: string;
  http: string;
  kubeApiListen: string;
  id?: string;
  etcdPrefix: string;
  nodeGrace: number | string;
  heartbeat: number | string;
  leaderTtl: number | string;
  clusterCidr: string;
  serviceCidr: string;
  keysFile: string;
  adminConfig?: string;
  certValidity: number | string;
  etcdCafile?: string;
  etcdCertfile?: string;
  etcdKeyfile?: string;
  maxWatchesPerClient: number | string;
  plaintextForBenchmarks?: boolean;
  logLevel: string;
}>();
try {
  networkPlan(o.clusterCidr, o.serviceCidr);
} catch (e) {
  // Exits non-zero with "error: <why>", as for any other bad flag.
  program.error(`error: ${errorMessage(e)}`);
}
const log = createLogger({ level: o.logLevel, name: 'kite-controller' });
if (o.plaintextForBenchmarks) log.warn({ component: 'controller' }, 'serving WITHOUT TLS or authentication (--plaintext-for-benchmarks): a benchmark baseline, never a cluster');

// A bad --etcd-* file or keys file throws here: "error: <why>" and exit 1 (not a stack trace).
const controller = exitingOnError(() => new Controller({
  etcd: o.etcd.split(',').map((s) => s.trim()).filter(Boolean),
  listen: o.listen,
  httpListen: o.http,
  kubeApiListen: o.kubeApiListen,
  id: o.id,
  etcdPrefix: o.etcdPrefix,
  nodeGraceSeconds: Number(o.nodeGrace),
  heartbeatPeriodMs: Number(o.heartbeat),
  leaderTtlSeconds: Number(o.leaderTtl),
  clusterCIDR: o.clusterCidr,
  serviceCIDR: o.serviceCidr,
  keysFile: o.keysFile,
  adminConfig: o.adminConfig,
  certValidityMs: typeof o.certValidity === 'number' ? o.certValidity : parseDuration(o.certValidity, '--cert-validity'),
  etcdTls: o.etcdCafile || o.etcdCertfile || o.etcdKeyfile ? { caFile: o.etcdCafile, certFile: o.etcdCertfile, keyFile: o.etcdKeyfile } : undefined,
  maxWatchesPerClient: Number(o.maxWatchesPerClient),
  plaintextForBenchmarks: o.plaintextForBenchmarks,
  log,
}));

runService('controller', controller, log);

function exitingOnError<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    return program.error(`error: ${errorMessage(e)}`);
  }
}
}
