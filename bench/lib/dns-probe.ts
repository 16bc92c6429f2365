// A child process for bench/net.ts, started inside a network namespace (nsenter --net=...), since a
// Node process cannot switch namespaces for one socket:
//   dns-probe.ts query SERVER PORT NAME COUNT   sends COUNT A queries one after another (dns-packet
//                                              wire format) and prints {"latenciesMs":[...],"failures":n}
//   dns-probe.ts echo ADDRESS PORT              a bare UDP echo server (the baseline round trip);
//                                              prints "ready" once bound, runs until killed
import * as dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';

const TIMEOUT_MS = 2000;

async function query(server: string, port: number, name: string, count: number): Promise<void> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, () => r()));
  // An ICMP error (nothing listening) must count as a lost query, not crash the probe.
  sock.on('error', () => undefined);
  const pending = new Map<number, (answered: boolean) => void>();
  sock.on('message', (msg: Buffer) => {
    if (msg.length < 2) return;
    const id = msg.readUInt16BE(0);
    pending.get(id)?.(true);
  });
  const latenciesMs: number[] = [];
  let failures = 0;
  for (let i = 0; i < count; i++) {
    const id = (i % 65_535) + 1;
    const packet = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
    const start = performance.now();
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), TIMEOUT_MS);
      pending.set(id, (ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
      sock.send(packet, port, server);
    });
    pending.delete(id);
    if (answered) latenciesMs.push(performance.now() - start);
    else failures++;
  }
  sock.close();
  process.stdout.write(JSON.stringify({ latenciesMs, failures }) + '\n');
}

function echo(address: string, port: number): void {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => sock.send(msg, rinfo.port, rinfo.address));
  sock.bind(port, address, () => process.stdout.write('ready\n'));
}

const [mode, a, b, c, d] = process.argv.slice(2);
if (mode === 'query' && a && b && c && d) {
  void query(a, Number(b), c, Number(d));
} else if (mode === 'echo' && a && b) {
  echo(a, Number(b));
} else {
  process.stderr.write('usage: dns-probe.ts query SERVER PORT NAME COUNT | echo ADDRESS PORT\n');
  process.exit(2);
}
