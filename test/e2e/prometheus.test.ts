// Observability end to end: a real Prometheus, configured from deploy/prometheus/prometheus.yml,
// discovers the controller and the agents through the controller's /sd and scrapes them.
// Needs etcd, dockerd and prometheus/promtool; DOCKER_HOST=unix:///path picks another engine.
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import type { Node, Pod } from '../../common/api/types';
import { LABELS } from '../../node-agent/executor/types';
import { DEFAULT_SOCKET, dockerForSuite, type DockerHandle } from '../harness/dockerd';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { ensureTestImage } from '../harness/images';
import { freePort } from '../harness/ports';
import { eventually, startAgent, startController, type AgentHandle, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const PROM_DIR = path.join(ROOT, 'deploy/prometheus');
const DOCKER_NODE = `prom-docker-${process.pid}`;
const FAKE_NODE = `prom-fake-${process.pid}`;
const POD = 'sleeper';
const MEMORY_LIMIT = 64 * 1024 * 1024;

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

interface PromTarget {
  labels: Record<string, string>;
  health: string;
  lastError: string;
}

/** A copy of the project's prometheus.yml pointed at this controller, scraping every second. */
function testConfig(sdUrl: string, dir: string): string {
  const cfg = YAML.parse(fs.readFileSync(path.join(PROM_DIR, 'prometheus.yml'), 'utf8')) as {
    global: Record<string, string>;
    scrape_configs: { http_sd_configs: { url: string; refresh_interval?: string }[] }[];
  };
  Object.assign(cfg.global, { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' });
  const sd = cfg.scrape_configs[0]!.http_sd_configs[0]!;
  sd.url = sdUrl;
  sd.refresh_interval = '1s';
  fs.copyFileSync(path.join(PROM_DIR, 'rules.yml'), path.join(dir, 'rules.yml'));
  const file = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(file, YAML.stringify(cfg));
  return file;
}

function dockerSocket(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : DEFAULT_SOCKET;
}

describe('Prometheus scrapes Kite (e2e)', function () {
  this.timeout(180_000);
  let docker: DockerHandle | undefined;
  let etcd: EtcdHandle | undefined;
  let controller: ControllerHandle | undefined;
  const agents: AgentHandle[] = [];
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  let promLog = '';
  let dir = '';

  async function query(expr: string): Promise<PromSample[]> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; data: { result: PromSample[] }; error?: string };
    if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error}`);
    return body.data.result;
  }

  async function targets(): Promise<PromTarget[]> {
    const res = await fetch(`${promUrl}/api/v1/targets?state=active`);
    return ((await res.json()) as { data: { activeTargets: PromTarget[] } }).data.activeTargets;
  }

  /** The single value of expr once it satisfies ok, waiting for scrapes to catch up. */
  async function valueOf(expr: string, ok: (v: number) => boolean, what: string, timeoutMs = 45_000): Promise<number> {
    return eventually(
      async () => {
        const r = await query(expr);
        const v = r[0] ? Number(r[0].value[1]) : undefined;
        return v !== undefined && ok(v) ? { v } : undefined;
      },
      timeoutMs,
      `${what} (${expr}); prometheus log: ${promLog}`,
    ).then((x) => x.v);
  }

  before(async function () {
    requireCommand(this, 'prometheus', 'Prometheus');
    requireCommand(this, 'promtool', 'promtool');
    requireCommand(this, 'etcd', 'etcd');
    docker = await dockerForSuite(this, dockerSocket());
    await ensureTestImage(docker.docker);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-prom-'));
    etcd = await startEtcd();
    controller = await startController({ etcd: etcd.endpoint, heartbeatMs: 1000 });
    const dockerHost = process.env.DOCKER_HOST;
    agents.push(await startAgent({ controller: controller.target, name: DOCKER_NODE, runtime: 'docker', dockerHost }));
    await eventually(async () => (await controller!.client.list('Node')).items.length === 1, 30_000, 'the docker node to register');

    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    promLog = path.join(dir, 'prometheus.log');
    const out = fs.openSync(promLog, 'a');
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${testConfig(`http://127.0.0.1:${controller.httpPort}/sd`, dir)}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    await eventually(async () => (await fetch(`${promUrl}/-/ready`)).ok, 30_000, `prometheus to be ready (${promLog})`);
  });

  after(async function () {
    this.timeout(60_000);
    const client = controller?.client;
    if (client) await client.delete('Pod', POD, 'default').catch(() => undefined);
    if (docker) {
      // The agent removes the pod's containers once the deletion reaches it; make sure of it.
      const mine = async () => docker!.docker.listContainers({ all: true, filters: { label: [`${LABELS.node}=${DOCKER_NODE}`] } });
      await eventually(async () => (await mine()).length === 0, 20_000, 'pod containers to be removed').catch(() => undefined);
      for (const c of await mine().catch(() => [])) await docker.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    if (prometheus && prometheus.exitCode === null) {
      const gone = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await gone;
    }
    for (const a of agents) await a.stop();
    await controller?.stop();
    await etcd?.stop();
    await docker?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the shipped rules and configuration pass promtool', async () => {
    const rules = await run('promtool', ['check', 'rules', path.join(PROM_DIR, 'rules.yml')]);
    assert.match(rules.stdout, /SUCCESS: \d+ rules found/);
    await run('promtool', ['check', 'config', path.join(PROM_DIR, 'prometheus.yml')]);
    await run('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')]);
    const tests = await run('promtool', ['test', 'rules', path.join(PROM_DIR, 'rules.test.yml')]);
    assert.match(tests.stdout, /SUCCESS/);
  });

  it('discovers the controller and the agent through /sd and scrapes both', async () => {
    const up = await eventually(
      async () => {
        const t = await targets();
        const controllerUp = t.some((x) => x.labels.job === 'kite-controller' && x.health === 'up');
        const agentUp = t.some((x) => x.labels.job === 'kite-agent' && x.labels.node === DOCKER_NODE && x.health === 'up');
        return controllerUp && agentUp ? t : undefined;
      },
      30_000,
      'controller and agent targets to be up',
    );
    const agent = up.find((x) => x.labels.node === DOCKER_NODE)!;
    assert.equal(agent.labels.instance, DOCKER_NODE, 'the agent target is named after its node');
  });

  it("reports a running pod's container memory: present and plausible", async () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: POD, namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: 'kite-test/busybox:1', command: ['sleep', '3600'], resources: { limits: { memory: '64Mi' } } }],
      },
    };
    await controller!.client.apply([pod]);
    await eventually(async () => (await controller!.client.get<Pod>('Pod', POD, 'default')).status?.phase === 'Running', 60_000, 'the pod to run');
    const selector = `{namespace="default",pod="${POD}",container="main",node="${DOCKER_NODE}"}`;
    const memory = await valueOf(`kite_container_memory_working_set_bytes${selector}`, (v) => v > 0, 'container memory');
    assert.ok(memory > 100 * 1024, `working set ${memory} B should be over 100 KB`);
    assert.ok(memory < MEMORY_LIMIT, `working set ${memory} B should be under the 64Mi limit`);
    assert.equal(await valueOf(`kite_container_memory_limit_bytes${selector}`, () => true, 'container memory limit'), MEMORY_LIMIT);
    await valueOf(`kite_agent_containers{node="${DOCKER_NODE}",state="running"}`, (v) => v >= 1, 'running containers');
  });

  it('records scheduling latency and the cluster-state gauges', async () => {
    const scheduled = await valueOf('sum(kite_scheduler_scheduling_duration_seconds_count)', (v) => v >= 1, 'scheduling latency samples');
    assert.ok(scheduled >= 1);
    await valueOf('sum(kite_pods{phase="Running"})', (v) => v >= 1, 'running pods gauge');
    await valueOf('sum(kite_nodes{ready="True"})', (v) => v >= 1, 'ready nodes gauge');
    await valueOf('sum(kite_controller_is_leader)', (v) => v === 1, 'exactly one leader');
    await valueOf('sum(kite_etcd_request_duration_seconds_count{operation="txn_batch"})', (v) => v >= 1, 'batched etcd writes timed');
  });

  it('writes pod and node usage for `kite top`', async () => {
    const pod = await eventually(
      async () => {
        const p = await controller!.client.get<Pod>('Pod', POD, 'default');
        return (p.status as { usage?: { cpu: string; memory: string } } | undefined)?.usage ? p : undefined;
      },
      30_000,
      'pod status.usage',
    );
    const usage = (pod.status as { usage: { cpu: string; memory: string } }).usage;
    assert.match(usage.cpu, /^\d+m$/);
    const kib = Number(/^(\d+)Ki$/.exec(usage.memory)?.[1]);
    assert.ok(kib > 100 && kib * 1024 < MEMORY_LIMIT, `pod memory ${usage.memory}`);
    assert.equal(pod.status?.phase, 'Running', 'writing usage keeps the rest of the status');
    const node = await eventually(
      async () => {
        const n = await controller!.client.get<Node>('Node', DOCKER_NODE);
        return n.status?.usage ? n : undefined;
      },
      30_000,
      'node status.usage',
    );
    assert.match(node.status!.usage!.memory, /^\d+Ki$/);
    assert.ok(!Number.isNaN(Date.parse(node.status!.usage!.timestamp)));
  });

  it('picks up a node added later as a new scrape target', async () => {
    agents.push(await startAgent({ controller: controller!.target, name: FAKE_NODE, runtime: 'fake' }));
    const target = await eventually(
      async () => (await targets()).find((t) => t.labels.node === FAKE_NODE && t.health === 'up'),
      30_000,
      'the new node to be scraped',
    );
    assert.equal(target.labels.job, 'kite-agent');
    await valueOf(`kite_agent_connected{node="${FAKE_NODE}"}`, (v) => v === 1, 'the new agent reporting its session');
  });
});
