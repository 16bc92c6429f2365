// Container usage comes from the kernel's cgroup files wherever the engine put the container,
// including under a custom cgroup parent (as engines started with --cgroup-parent do).
import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import { DockerExecutor } from '../../node-agent/executor/docker';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { ensureTestImage } from '../harness/images';

describe('container usage on the real Docker Engine (e2e)', function () {
  this.timeout(60_000);
  let handle: DockerHandle;
  let container: Docker.Container | undefined;

  before(async function () {
    handle = await dockerForSuite(this);
    const image = await ensureTestImage(handle.docker);
    container = await handle.docker.createContainer({
      Image: image,
      Cmd: ['sh', '-c', 'head -c 8000000 /dev/zero > /tmp/fill; nc -w 1 192.0.2.1 80 </dev/null 2>/dev/null; sleep 300'],
      Labels: { 'kite.test': 'stats' },
      HostConfig: { CgroupParent: '/kite-stats-test', Init: true },
    });
    await container.start();
    await new Promise((r) => setTimeout(r, 1500));
  });

  after(async () => {
    await container?.remove({ force: true }).catch(() => undefined);
    await handle?.stop();
  });

  it('reads memory, CPU and network bytes of a container under a custom cgroup parent', async () => {
    const executor = new DockerExecutor({ socketPath: handle.socketPath, nodeName: 'stats-test' });
    // The engine's own stats call takes about a second per container: it must not be what answers.
    const engine = (executor as unknown as { docker: Docker }).docker;
    const getContainer = engine.getContainer.bind(engine);
    engine.getContainer = (id: string) => Object.assign(getContainer(id), { stats: () => Promise.reject(new Error('the engine stats API was used')) });
    const s = await executor.stats(container!.id);
    assert.ok(s, 'stats found');
    // /tmp in the container is its writable layer, not memory; the shell and sleep take some.
    assert.ok(s.memoryWorkingSetBytes > 50_000 && s.memoryWorkingSetBytes < 64 * 1024 * 1024, `working set ${s.memoryWorkingSetBytes}`);
    assert.ok(s.cpuSeconds > 0, `cpu ${s.cpuSeconds}`);
    // nc's connection attempt (to a documentation address) sent packets through the container's own network namespace.
    assert.ok(s.network && s.network.txBytes > 0, `network ${JSON.stringify(s.network)}`);
    const again = await executor.stats(container!.id);
    assert.ok(again && again.cpuSeconds >= s.cpuSeconds, 'cumulative CPU never goes back');
  });
});
