// The real kubectl 1.32 streaming into pods on the real Docker Engine (etcd + kite-controller +
// one kite-agent as real processes): exec with the command's exit code and stdout/stderr apart,
// exec -i with piped stdin, exec -it on a terminal, attach (the container's output from now on;
// stdin refused), and port-forward carrying HTTP both over kubectl's default (SPDY tunnelled in a
// WebSocket) and over plain SPDY; and @kubernetes/client-node's Exec and PortForward (the
// WebSocket channel protocols client libraries speak).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { KObject, Node, Pod } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { ensureTestImage } from '../harness/images';
import { KUBECTL_132, kubectlFor, requireKubectl, type Kubectl } from '../harness/kubectl';
import { eventually, startAgent, startController, type AgentHandle, type CliResult, type ControllerHandle } from '../harness/processes';
import { hasCommand, requireCommand } from '../harness/require';

const NODE = `e2e-kubectl-streams-${process.pid}`;
const NS = `kubectl-streams-${process.pid}`;
const POD = 'shell';

function httpGet(port: number, urlPath = '/index.html'): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** What a long-running kubectl has printed so far, and a way to wait for a line. */
interface Running {
  child: ChildProcess;
  out(): string;
  err(): string;
  waitFor(re: RegExp, what: string, ms?: number): Promise<RegExpExecArray>;
}

describe('kubectl exec, attach and port-forward on the real Docker Engine (e2e)', function () {
  this.timeout(120_000);
  let dockerHandle: DockerHandle | undefined;
  let etcd: EtcdHandle | undefined;
  let controller: ControllerHandle | undefined;
  let agent: AgentHandle | undefined;
  let k: Kubectl | undefined;
  let dir = '';
  const running: ChildProcess[] = [];

  const kubectl = (args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) => k!.run(['-n', NS, ...args], opts);

  /** Starts kubectl in the background (port-forward, attach); after() stops what is left. */
  function start(args: string[], env: Record<string, string> = {}): Running {
    const child = spawn(KUBECTL_132, ['--cache-dir', path.join(dir, 'cache'), '-n', NS, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: k!.kubeconfig, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.push(child);
    let out = '';
    let err = '';
    let exited = false;
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', () => (exited = true));
    return {
      child,
      out: () => out,
      err: () => err,
      waitFor: (re, what, ms = 30_000) =>
        eventually(
          () => {
            const m = re.exec(out);
            if (!m && exited) throw new Error(`kubectl ${args.join(' ')} exited before ${what}:\n${out}${err}`);
            return m ?? undefined;
          },
          ms,
          what,
        ),
    };
  }

  function stop(r: Running): Promise<void> {
    if (r.child.exitCode !== null || r.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      r.child.once('exit', () => resolve());
      r.child.kill('SIGINT');
    });
  }

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    requireKubectl(this);
    dockerHandle = await dockerForSuite(this);
    const image = await ensureTestImage(dockerHandle.docker);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-kubectl-streams-'));
    etcd = await startEtcd();
    controller = await startController({ etcd: etcd.endpoint, heartbeatMs: 500 });
    const client = controller.client;
    agent = await startAgent({ controller: controller.target, name: NODE, dataDir: path.join(dir, 'agent') });
    await eventually(async () => isNodeReady(await client.get<Node>('Node', NODE)), 30_000, 'node Ready');
    // httpd serves the image's /www/index.html; the loop gives attach a stream to show.
    const script = 'httpd -f -p 8080 -h /www & i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.3; done';
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: POD, namespace: NS },
        spec: { containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sh', '-c', script], ports: [{ containerPort: 8080 }] }] },
      },
    ] as unknown as KObject[];
    await client.apply(objects.slice(0, 1));
    await eventually(async () => (await client.apply(objects.slice(1)), true), 10_000, 'pod created');
    await eventually(async () => {
      const pod = await client.get<Pod>('Pod', POD, NS);
      return pod.status?.phase === 'Running' && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    }, 60_000, 'pod Ready');
    k = kubectlFor(controller.adminConfig, controller.kubeApiPort);
  });

  after(async function () {
    this.timeout(60_000);
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await agent?.stop();
    await controller?.stop();
    await etcd?.stop();
    if (dockerHandle) {
      const docker = dockerHandle.docker;
      const left = await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await dockerHandle.stop();
    }
    k?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs: tail, timestamps and container; logs -f follows and ends when the pod ends; previous after a restart', async () => {
    // The pod prints a tick every 0.3 s from its start: soon there are more than two.
    const tail = await eventually(async () => {
      const r = await kubectl(['logs', POD, '--tail', '2', '-c', 'main']);
      assert.equal(r.code, 0, r.stderr);
      return /^tick-[1-9]\d*\n/.test(r.stdout) ? r : undefined;
    }, 10_000, 'a third tick');
    assert.match(tail.stdout, /^tick-\d+\ntick-\d+\n$/);
    assert.match((await kubectl(['logs', POD, '--tail', '1', '--timestamps'])).stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick-\d+\n$/);
    assert.match((await kubectl(['logs', POD, '-c', 'nope'])).stderr, /container.*nope/);
    // A pod that counts to three and exits: -f follows it and returns when it ends.
    const image = (await controller!.client.get<Pod>('Pod', POD, NS)).spec.containers[0]!.image;
    const counter = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'counter', namespace: NS }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image, imagePullPolicy: 'Never', command: ['sh', '-c', 'sleep 1; for i in 1 2 3; do echo line-$i; sleep 0.5; done'] }] } } as unknown as KObject;
    await controller!.client.apply([counter]);
    await eventually(async () => (await controller!.client.get<Pod>('Pod', 'counter', NS)).status?.phase === 'Running', 30_000, 'counter running');
    const followed = await kubectl(['logs', '-f', 'counter']);
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'line-1\nline-2\nline-3\n');
    // A container that restarted: --previous shows the run before.
    const restarter = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'restarter', namespace: NS }, spec: { containers: [{ name: 'c', image, imagePullPolicy: 'Never', command: ['sh', '-c', 'echo run-$(date +%s); sleep 1; exit 1'] }] } } as unknown as KObject;
    await controller!.client.apply([restarter]);
    await eventually(async () => ((await controller!.client.get<Pod>('Pod', 'restarter', NS)).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 40_000, 'a restart');
    const previous = await kubectl(['logs', 'restarter', '--previous']);
    assert.equal(previous.code, 0, previous.stderr);
    assert.match(previous.stdout, /^run-\d+\n$/);
  });

  it("exec: stdout and stderr arrive apart, and kubectl exits with the command's exit code", async () => {
    const r = await kubectl(['exec', POD, '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    assert.equal(r.code, 7, `${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, 'out\n');
    assert.match(r.stderr, /^err\n/);
    assert.match(r.stderr, /command terminated with exit code 7/);
    const ok = await kubectl(['exec', POD, '-c', 'main', '--', 'true']);
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('exec -i: piped stdin reaches the command and its end ends it', async () => {
    const input = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const r = await kubectl(['exec', '-i', POD, '--', 'cat'], { stdin: input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, input);
    const counted = await kubectl(['exec', '-i', POD, '--', 'wc', '-l'], { stdin: input });
    assert.equal(counted.stdout.trim(), '2000');
  });

  it('exec -t without stdin: the command still runs and its output comes back', async () => {
    const r = await kubectl(['exec', '-t', POD, '--', 'sh', '-c', 'echo via-t; exit 4']);
    assert.equal(r.code, 4, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /via-t/);
  });

  it('exec -it on a terminal: the command gets a TTY of the terminal size, and the exit code comes back', async function () {
    if (!hasCommand('script')) this.skip();
    // script(1) gives kubectl a real terminal (its stdin and stdout) of a known size. The pause
    // before `stty size`: Docker 20.10's exec takes no initial size, the agent resizes it just
    // after it starts.
    const kube = `${KUBECTL_132} --cache-dir ${path.join(dir, 'cache')} -n ${NS} exec -it ${POD} -- sh -c 'tty; sleep 0.5; stty size; exit 3'`;
    const r = await new Promise<CliResult>((resolve) => {
      const child = spawn('script', ['-qec', `stty cols 91 rows 17; ${kube}`, '/dev/null'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: k!.kubeconfig } });
      running.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // script's stdin stays open while it runs: at its end script would type a NUL into the terminal.
      child.on('close', (code) => {
        child.stdin.end();
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
    assert.equal(r.code, 3, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /\/dev\/pts\/\d+/);
    assert.match(r.stdout, /17 91/);
  });

  it("attach shows the container's output as it comes, and refuses stdin with a clear message", async () => {
    const a = start(['attach', POD]);
    const first = await a.waitFor(/tick-(\d+)/, 'a tick');
    await a.waitFor(new RegExp(`tick-${Number(first[1]) + 2}\\b`), 'later ticks');
    await stop(a);
    const i = await kubectl(['attach', '-i', POD], { stdin: 'x\n' });
    assert.notEqual(i.code, 0);
    assert.match(i.stderr, /attach with stdin is not supported by Kite; use exec/);
  });

  for (const [transport, env] of [
    ['SPDY tunnelled in a WebSocket (the default)', {}],
    ['plain SPDY (KUBECTL_PORT_FORWARD_WEBSOCKETS=false)', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ] as const) {
    it(`port-forward over ${transport} carries HTTP to the pod, several connections at once`, async () => {
      const pf = start(['port-forward', `pod/${POD}`, ':8080'], env);
      const port = Number((await pf.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/, 'listening'))[1]);
      assert.equal(await httpGet(port), 'kite test page\n');
      assert.deepEqual(await Promise.all([1, 2, 3, 4].map(() => httpGet(port))), Array(4).fill('kite test page\n'));
      assert.equal(await httpGet(port), 'kite test page\n', 'still forwarding after connections came and went');
      await stop(pf);
      assert.doesNotMatch(pf.err(), /error|lost connection/i);
    });
  }

  it('@kubernetes/client-node: Exec reports the exit status; PortForward (WebSocket channels) carries HTTP', async () => {
    const { KubeConfig, Exec, PortForward } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(k!.kubeconfig);
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (d: Buffer) => (printed += d.toString()));
    const status = await new Promise<{ status?: string; reason?: string; details?: { causes?: { message?: string }[] } }>((resolve, reject) => {
      new Exec(kc).exec(NS, POD, 'main', ['sh', '-c', 'echo from-client-node; exit 5'], stdout, null, null, false, resolve).catch(reject);
    });
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.equal(status.details?.causes?.[0]?.message, '5');
    assert.equal(printed, 'from-client-node\n');

    // client-node forwards one connection per WebSocket: a local listener hands each to it.
    const forward = new PortForward(kc);
    const listener = net.createServer((socket) => void forward.portForward(NS, POD, [8080], socket, null, socket).catch(() => socket.destroy()));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const port = (listener.address() as net.AddressInfo).port;
      assert.equal(await httpGet(port), 'kite test page\n');
    } finally {
      listener.close();
    }
  });
});
