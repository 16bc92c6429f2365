#!/usr/bin/env node
// kite-agent: runs this host's pods on the local Docker Engine for the Kite controller.
import * as os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createLogger } from '../common/log';
import { envOption } from '../common/flags';
import { errorMessage } from '../common/errors';
import { runService } from '../common/service';
import { KITE_VERSION } from '../common/version';
import { Agent } from './agent';
import { parseLabels, parseTaints } from './node-info';

const checked = <T>(fn: (v: string) => T) => (v: string) => {
  try {
    return fn(v);
  } catch (e) {
    throw new InvalidArgumentError(errorMessage(e));
  }
};

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
  .addOption(new Option('--max-pods <n>', 'pods this node accepts').env('KITE_MAX_PODS').default('110'))
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
  maxPods: string;
  logLevel: string;
}>();
const maxPods = Number(o.maxPods);
if (!Number.isInteger(maxPods) || maxPods <= 0) program.error(`error: option '--max-pods <n>' argument '${o.maxPods}' must be a positive integer`);
const log = createLogger({ level: o.logLevel, name: 'kite-agent' });

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
  maxPods,
  log,
});

runService('agent', agent, log, 'stopping (pods keep running; a restarted agent adopts them)');
