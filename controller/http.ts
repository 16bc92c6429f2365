// The controller's HTTP side: /metrics, /healthz, /readyz and Prometheus HTTP service discovery (/sd).
import * as http from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../common/log';

export interface SdTarget {
  targets: string[];
  labels: Record<string, string>;
}

export interface HttpDeps {
  registry: Registry;
  ready: () => Promise<{ ok: boolean; message: string }>;
  /** Targets for Prometheus http_sd_configs: this controller and every agent. */
  serviceDiscovery: () => Promise<SdTarget[]>;
  log: Logger;
}

export function createHttpServer(deps: HttpDeps): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    (async () => {
      switch (path) {
        case '/metrics':
          return reply(200, await deps.registry.metrics(), deps.registry.contentType);
        case '/healthz':
          return reply(200, 'ok\n');
        case '/readyz': {
          const r = await deps.ready();
          return reply(r.ok ? 200 : 503, r.message + '\n');
        }
        case '/sd':
          return reply(200, JSON.stringify(await deps.serviceDiscovery()), 'application/json');
        default:
          return reply(404, 'not found\n');
      }
    })().catch((e: unknown) => {
      deps.log.warn({ err: e, path }, 'http request failed');
      reply(500, 'internal error\n');
    });
  });
}

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

export function splitHostPort(hostPort: string): { host: string; port: number } {
  const i = hostPort.lastIndexOf(':');
  if (i < 0) throw new Error(`"${hostPort}" is not HOST:PORT`);
  const port = Number(hostPort.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`"${hostPort}": port must be 0-65535`);
  return { host: hostPort.slice(0, i).replace(/^\[|\]$/g, ''), port };
}
