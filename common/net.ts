// Listening on HOST:PORT addresses, for every program's HTTP and gRPC servers.
import type * as http from 'node:http';

/** Starts an HTTP server on HOST:PORT (port 0 picks a free one); resolves with the bound port. */
export function listen(server: http.Server, hostPort: string): Promise<number> {
  const { host, port } = splitHostPort(hostPort);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

/** "127.0.0.1:7401" or "[::1]:7401" -> host and port; throws on anything else. */
export function splitHostPort(hostPort: string): { host: string; port: number } {
  const i = hostPort.lastIndexOf(':');
  if (i < 0) throw new Error(`"${hostPort}" is not HOST:PORT`);
  const port = Number(hostPort.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`"${hostPort}": port must be 0-65535`);
  return { host: hostPort.slice(0, i).replace(/^\[|\]$/g, ''), port };
}
