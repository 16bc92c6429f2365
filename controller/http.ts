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
