import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { forbidden, invalid, notFound, unauthenticated, unavailable } from '../../../../common/errors';
import { channelFrame, chooseProtocol, offeredProtocols, parseResize, portPrefix, splitChannelFrame } from '../../../../controller/kube-api/streams/channels';
import { parseStreamOptions } from '../../../../controller/kube-api/streams/exec-options';
import { PacedInput } from '../../../../controller/kube-api/streams/paced-input';
import { parseForwardPorts } from '../../../../controller/kube-api/streams/portforward-channels';
import { SUCCESS, errorStatus, exitStatus, rejectOnSocket } from '../../../../controller/kube-api/streams/status';

describe('channel protocol framing', () => {
  it('prefixes the channel byte and splits it off again', () => {
    assert.deepEqual([...channelFrame(2, 'hi')], [2, 0x68, 0x69]);
    assert.deepEqual(splitChannelFrame(Buffer.from([255, 0])), { channel: 255, data: Buffer.from([0]) });
    assert.deepEqual(splitChannelFrame(Buffer.from([1])), { channel: 1, data: Buffer.alloc(0) });
    assert.equal(splitChannelFrame(Buffer.alloc(0)), undefined);
  });

  const resizes: [string, { cols: number; rows: number } | undefined][] = [
    ['{"Width":120,"Height":40}', { cols: 120, rows: 40 }],
    ['{"Width":0,"Height":0}', { cols: 0, rows: 0 }],
    ['{"Width":"120","Height":40}', undefined],
    ['{"Width":-1,"Height":40}', undefined],
    ['{"Width":80}', undefined],
    ['null', undefined],
    ['not json', undefined],
  ];
  for (const [text, want] of resizes) {
    it(`reads the resize message ${text} as ${JSON.stringify(want)}`, () => assert.deepEqual(parseResize(Buffer.from(text)), want));
  }

  it('announces a forwarded port as 2 bytes little-endian', () => {
    assert.deepEqual([...portPrefix(8080)], [0x90, 0x1f]);
  });

  it('chooses the first offered subprotocol the server speaks, reading the header as kubectl writes it', () => {
    assert.deepEqual(offeredProtocols('v5.channel.k8s.io, v4.channel.k8s.io'), ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    assert.deepEqual(offeredProtocols(['a', 'b,c']), ['a', 'b', 'c']);
    assert.deepEqual(offeredProtocols(undefined), []);
    assert.equal(chooseProtocol(['v3.channel.k8s.io', 'v4.channel.k8s.io', 'v5.channel.k8s.io'], ['v5.channel.k8s.io', 'v4.channel.k8s.io']), 'v4.channel.k8s.io');
    assert.equal(chooseProtocol(['base64.channel.k8s.io'], ['v5.channel.k8s.io']), undefined);
  });
});

describe('exec and attach query options', () => {
  const q = (s: string) => new URLSearchParams(s);
  it('reads every command argument in order, the container and the stream flags', () => {
    assert.deepEqual(parseStreamOptions(q('command=sh&command=-c&command=echo%20a%20b&container=app&stdin=true&stdout=true&stderr=true'), 'exec'), {
      command: ['sh', '-c', 'echo a b'],
      container: 'app',
      stdin: true,
      stdout: true,
      stderr: true,
      tty: false,
    });
  });

  it('drops stderr when a TTY is asked for (a terminal has one output), as the kubelet does', () => {
    const o = parseStreamOptions(q('command=sh&stdin=true&stdout=true&stderr=true&tty=true'), 'exec');
    assert.equal(o.tty, true);
    assert.equal(o.stderr, false);
  });

  it('ignores command for attach', () => {
    assert.deepEqual(parseStreamOptions(q('command=x&stdout=1'), 'attach').command, []);
  });

  const refused: [string, 'exec' | 'attach', RegExp][] = [
    ['stdout=true', 'exec', /at least one command/],
    ['command=ls', 'exec', /at least 1 of stdin, stdout, stderr/],
    ['stdin=false&stdout=false', 'attach', /at least 1 of stdin, stdout, stderr/],
    ['command=ls&stdout=yes', 'exec', /stdout="yes" is not a boolean/],
  ];
  for (const [query, sub, message] of refused) {
    it(`refuses ${sub} ?${query} as Invalid`, () => {
      assert.throws(() => parseStreamOptions(q(query), sub), (e: unknown) => errorStatus(e).code === 400 && message.test((e as Error).message));
    });
  }
});

describe('port-forward ports from the query', () => {
  it('takes port= (kubelet) and ports= (client-node), repeated or comma-separated', () => {
    assert.deepEqual(parseForwardPorts(new URLSearchParams('port=80&port=443,8080&ports=9000')), [80, 443, 8080, 9000]);
  });
  for (const bad of ['', 'port=0', 'port=65536', 'port=http', 'port=1.5']) {
    it(`refuses ?${bad}`, () => assert.throws(() => parseForwardPorts(new URLSearchParams(bad)), (e: unknown) => errorStatus(e).code === 400));
  }
  it('refuses more ports than one-byte channels can carry', () => {
    const many = Array.from({ length: 129 }, (_, i) => `port=${i + 1}`).join('&');
    assert.throws(() => parseForwardPorts(new URLSearchParams(many)), /at most 128 ports/);
  });
});

describe('stream Status objects', () => {
  it('a zero exit code is Success; any other is NonZeroExitCode carrying the code for kubectl', () => {
    assert.deepEqual(exitStatus(0), SUCCESS);
    assert.deepEqual(exitStatus(7), {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: exit code 7',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  const codes: [unknown, number, string][] = [
    [notFound('pods "x" not found'), 404, 'NotFound'],
    [forbidden('no'), 403, 'Forbidden'],
    [invalid('bad'), 400, 'BadRequest'],
    [unauthenticated('who'), 401, 'Unauthorized'],
    [unavailable('agent down'), 503, 'ServiceUnavailable'],
    [new Error('secret detail'), 500, 'InternalError'],
  ];
  for (const [e, code, reason] of codes) {
    it(`maps ${(e as Error).message} to ${code} ${reason}`, () => {
      const s = errorStatus(e);
      assert.equal(s.code, code);
      assert.equal(s.reason, reason);
      assert.equal(s.kind, 'Status');
      assert.equal(s.status, 'Failure');
      if (code === 500) assert.doesNotMatch(s.message, /secret detail/, 'unexpected errors do not leak their text');
    });
  }

  it('answers a refused upgrade with an HTTP response carrying the Status, then closes', async () => {
    const socket = new PassThrough();
    let written = '';
    socket.on('data', (d: Buffer) => (written += d.toString()));
    const closed = new Promise((r) => socket.once('close', r));
    rejectOnSocket(socket, errorStatus(forbidden('user bob cannot exec')));
    await closed;
    const [head, body] = written.split('\r\n\r\n');
    assert.match(head!, /^HTTP\/1\.1 403 Forbidden\r\n/);
    assert.match(head!, /Content-Type: application\/json/);
    assert.deepEqual(JSON.parse(body!), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'user bob cannot exec', reason: 'Forbidden', code: 403 });
  });
});

describe('PacedInput', () => {
  it('pauses its source past the high-water mark and resumes it once drained to a quarter', async () => {
    const events: string[] = [];
    const input = new PacedInput<Buffer>((b) => b.length, { pause: () => events.push('pause'), resume: () => events.push('resume') }, 100);
    for (let i = 0; i < 5; i++) input.push(Buffer.alloc(30));
    assert.deepEqual(events, ['pause']);
    const it = input[Symbol.asyncIterator]();
    for (let i = 0; i < 4; i++) await it.next();
    assert.deepEqual(events, ['pause'], '30 bytes left: still above a quarter of 100');
    await it.next();
    assert.deepEqual(events, ['pause', 'resume']);
  });

  it('ends after what is queued, drops pushes after the end, and releases a paused source', async () => {
    const events: string[] = [];
    const input = new PacedInput<Buffer>((b) => b.length, { pause: () => events.push('pause'), resume: () => events.push('resume') }, 10);
    input.push(Buffer.from('0123456789ab'));
    input.end();
    input.push(Buffer.from('late'));
    const got: string[] = [];
    for await (const b of input) got.push(b.toString());
    assert.deepEqual(got, ['0123456789ab']);
    assert.deepEqual(events, ['pause', 'resume']);
  });
});
