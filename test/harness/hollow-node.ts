// A hollow node: a real node agent in this process, on the fake runtime, talking real gRPC to a
// controller. Integration tests start several of them to play a cluster without Docker.
import type { Node } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { silentLogger } from '../../common/log';
import { Agent } from '../../node-agent/agent';
import { FakeExecutor } from '../../node-agent/executor/fake';
import { eventually } from './processes';
import { joinCredentials } from './credentials';

const GiB = 2 ** 30;

export interface HollowNode {
  name: string;
  agent: Agent;
  executor: FakeExecutor;
}

export interface HollowNodeOptions {
  labels?: Record<string, string>;
  taints?: { key: string; value: string; effect: string }[];
  executor?: FakeExecutor;
  /** Defaults: 8 CPUs, 8 GiB, 110 pods. */
  cpuMillis?: number;
  memoryBytes?: number;
  maxPods?: number;
}

/** Starts the agent and waits until the controller reports its node Ready. */
export async function startHollowNode(controller: string, client: KiteClient, name: string, o: HollowNodeOptions = {}): Promise<HollowNode> {
  const executor = o.executor ?? new FakeExecutor(name);
  const agent = new Agent({
    controller,
    name,
    runtime: 'fake',
    executor,
    labels: o.labels,
    taints: o.taints,
    cpuMillis: o.cpuMillis ?? 8000,
    memoryBytes: o.memoryBytes ?? 8 * GiB,
    maxPods: o.maxPods ?? 110,
    log: silentLogger,
    defaultMetrics: false,
    // Joins as any node would; hollow nodes keep their certificate in memory.
    ...joinCredentials(controller),
  });
  await agent.start();
  await eventually(async () => isNodeReady(await client.get<Node>('Node', name)), 15_000, `node ${name} Ready`);
  return { name, agent, executor };
}
