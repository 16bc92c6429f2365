// Two connected TCP sockets on the loopback: a real transport (buffers, pause, half-close) for
// driving a server-side stream handler from a test client.
import * as net from 'node:net';

export async function socketPair(): Promise<{ client: net.Socket; server: net.Socket; close: () => void }> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const client = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const server = await accepted;
  listener.close();
  client.setNoDelay(true);
  server.setNoDelay(true);
  return {
    client,
    server,
    close: () => {
      client.destroy();
      server.destroy();
    },
  };
}
