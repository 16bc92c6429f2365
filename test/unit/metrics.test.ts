// Metric naming and label conventions, checked on fresh controller and agent registries, so a new
// metric that breaks them (or an unbounded label such as a pod uid) fails here, not in a dashboard.
import assert from 'node:assert/strict';
import type { Registry } from 'prom-client';
import { ControllerMetrics } from '../../controller/metrics';
import { AgentMetrics } from '../../node-agent/metrics';

interface Described {
  name: string;
  type: string;
  labelNames: string[];
}

async function describeRegistry(registry: Registry): Promise<Described[]> {
  const out: Described[] = [];
  // The registry hands out its metric instances; their get() and labelNames are not on the public type.
  for (const m of registry.getMetricsAsArray() as unknown as { get(): Promise<{ name: string; type: unknown }>; labelNames?: string[] }[]) {
    const got = await m.get();
    const labelNames = m.labelNames ?? [];
    out.push({ name: got.name, type: String(got.type), labelNames: [...labelNames].sort() });
  }
  return out;
}

const emptySource = { usage: () => ({ pods: [], cpuUsageMillis: 0, memoryUsageBytes: 0 }), statuses: () => [], limits: () => undefined };

/** The bounded label sets we promise; adding a label (or a metric) means updating this on purpose. */
const EXPECTED_LABELS: Record<string, string[]> = {
  kite_api_requests_total: ['code', 'method'],
  kite_api_request_duration_seconds: ['method'],
  kite_etcd_request_duration_seconds: ['operation'],
  kite_scheduler_attempts_total: ['result'],
  kite_scheduler_scheduling_duration_seconds: [],
  kite_scheduler_pending_pods: [],
  kite_reconcile_total: ['controller', 'result'],
  kite_reconcile_duration_seconds: ['controller'],
  kite_pods: ['phase'],
  kite_nodes: ['ready'],
  kite_deployment_replicas: ['deployment', 'namespace', 'type'],
  kite_controller_is_leader: [],
  kite_dispatcher_sessions: [],
  kite_agent_pod_start_duration_seconds: ['phase'],
  kite_agent_image_pull_duration_seconds: [],
  kite_agent_session_reconnects_total: [],
  kite_agent_connected: [],
  kite_agent_containers: ['state'],
  kite_container_cpu_usage_seconds_total: ['container', 'namespace', 'pod'],
  kite_container_memory_working_set_bytes: ['container', 'namespace', 'pod'],
  kite_container_memory_limit_bytes: ['container', 'namespace', 'pod'],
  kite_container_restarts: ['container', 'namespace', 'pod'],
  kite_pod_network_receive_bytes_total: ['namespace', 'pod'],
  kite_pod_network_transmit_bytes_total: ['namespace', 'pod'],
};

describe('metric conventions', () => {
  let own: Described[];
  let withDefaults: Described[];

  before(async () => {
    own = [
      ...(await describeRegistry(new ControllerMetrics({ defaultMetrics: false }).registry)),
      ...(await describeRegistry(new AgentMetrics(emptySource, { defaultMetrics: false }).registry)),
    ];
    withDefaults = [
      ...(await describeRegistry(new ControllerMetrics().registry)),
      ...(await describeRegistry(new AgentMetrics(emptySource).registry)),
    ];
  });

  it('every metric, default process metrics included, starts with kite_', () => {
    const bad = withDefaults.filter((m) => !m.name.startsWith('kite_')).map((m) => m.name);
    assert.deepEqual(bad, []);
  });

  it('process metrics say which program they describe (kite_controller_ or kite_agent_)', () => {
    const controller = withDefaults.find((m) => m.name === 'kite_controller_process_resident_memory_bytes');
    const agent = withDefaults.find((m) => m.name === 'kite_agent_process_resident_memory_bytes');
    assert.ok(controller && agent, 'both programs export their resident memory');
  });

  it('counters end in _total, default process metrics included', () => {
    const counters = withDefaults.filter((m) => m.type === 'counter');
    assert.ok(counters.length >= 5);
    for (const m of counters) assert.match(m.name, /_total$/, `counter ${m.name}`);
  });

  it('our own metrics ending in _total are counters (the nodejs_active_*_total gauges of prom-client are not ours)', () => {
    for (const m of own.filter((x) => x.name.endsWith('_total'))) assert.equal(m.type, 'counter', m.name);
  });

  it('histograms of our own measure durations and are named _seconds', () => {
    const histograms = own.filter((m) => m.type === 'histogram');
    assert.ok(histograms.length >= 5);
    for (const m of histograms) assert.match(m.name, /_seconds$/, m.name);
  });

  it('memory sizes are named _bytes', () => {
    for (const m of own.filter((x) => /memory/.test(x.name))) assert.match(m.name, /_bytes$/, m.name);
  });

  it('label sets are exactly the bounded ones expected: no uid, node or id labels', () => {
    const actual = Object.fromEntries(own.map((m) => [m.name, m.labelNames]));
    assert.deepEqual(actual, EXPECTED_LABELS);
    for (const m of own) for (const l of m.labelNames) assert.doesNotMatch(l, /uid|^id$|node|address|ip/, `${m.name} label ${l}`);
  });

  it('every metric has help text', async () => {
    const registry = new ControllerMetrics({ defaultMetrics: false }).registry;
    for (const m of await registry.getMetricsAsJSON()) assert.ok(m.help && m.help.length > 10, m.name);
  });
});
