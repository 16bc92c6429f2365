// Container probes (liveness / readiness / startup) run on the injected clock.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Container, Probe } from '../../common/api/types';
import type { Clock, Timer } from '../../common/clock';
import { goDuration, grpcHealthCheck, type ProbeOutcome } from './grpc-probe';

export type { ProbeOutcome } from './grpc-probe';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** Performs one check. Must settle within timeoutMs. */
export type ProbeCheck = (timeoutMs: number) => Promise<ProbeOutcome>;

const pass = (message = ''): ProbeOutcome => ({ ok: true, message });
const fail = (message: string): ProbeOutcome => ({ ok: false, message });

export interface ProbeTarget {
  /** IP the pod is reachable on (the sandbox's bridge IP). */
  ip: () => string;
  /** Runs a command in the container, resolving to its exit code. */
  exec: (command: string[], timeoutMs: number) => Promise<number>;
}

function portOf(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  const named = (container.ports ?? []).find((p) => p.name === port);
  return named ? named.containerPort : Number(port);
}

function httpCheck(probe: NonNullable<Probe['httpGet']>, container: Container, target: ProbeTarget): ProbeCheck {
  return (timeoutMs) =>
    new Promise((resolve) => {
      const req = (probe.scheme === 'HTTPS' ? httpsRequest : httpRequest)(
        {
          host: probe.host ?? target.ip(),
          port: portOf(probe.port, container),
          path: probe.path ?? '/',
          method: 'GET',
          headers: Object.fromEntries((probe.httpHeaders ?? []).map((h) => [h.name, h.value])),
          timeout: timeoutMs,
          rejectUnauthorized: false,
          // Judge the status code as the kubelet does, not the server's header hygiene: small
          // servers (busybox httpd's CGI, scripts) end header lines with a bare LF, which Node's
          // strict parser refuses and Go's HTTP client accepts.
          insecureHTTPParser: true,
        },
        (res) => {
          res.resume();
          const code = res.statusCode ?? 0;
          resolve(code >= 200 && code < 400 ? pass() : fail(`HTTP probe failed with statuscode: ${code}`));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`context deadline exceeded (timeout ${goDuration(timeoutMs)})`)));
      req.on('error', (e) => resolve(fail(`Get ${JSON.stringify(probe.path ?? '/')}: ${e.message}`)));
      req.end();
    });
}

function tcpCheck(probe: NonNullable<Probe['tcpSocket']>, container: Container, target: ProbeTarget): ProbeCheck {
  return (timeoutMs) =>
    new Promise((resolve) => {
      const sock = connect({ host: probe.host ?? target.ip(), port: portOf(probe.port, container), timeout: timeoutMs });
      sock.once('connect', () => {
        sock.destroy();
        resolve(pass());
      });
      sock.once('timeout', () => {
        sock.destroy();
        resolve(fail(`dial tcp: i/o timeout (${goDuration(timeoutMs)})`));
      });
      sock.once('error', (e) => resolve(fail(`dial tcp: ${e.message}`)));
    });
}

function execCheck(command: string[], target: ProbeTarget): ProbeCheck {
  return async (timeoutMs) => {
    try {
      const code = await target.exec(command, timeoutMs);
      return code === 0 ? pass() : fail(`command ${JSON.stringify(command.join(' '))} exited with ${code}`);
    } catch (e) {
      return fail(`command ${JSON.stringify(command.join(' '))} failed: ${(e as Error).message}`);
    }
  };
}

function grpcCheck(probe: NonNullable<Probe['grpc']>, target: ProbeTarget): ProbeCheck {
  return (timeoutMs) => grpcHealthCheck({ host: target.ip(), port: probe.port, service: probe.service ?? '' }, timeoutMs);
}

export function probeCheck(probe: Probe, container: Container, target: ProbeTarget): ProbeCheck {
  if (probe.httpGet) return httpCheck(probe.httpGet, container, target);
  if (probe.tcpSocket) return tcpCheck(probe.tcpSocket, container, target);
  if (probe.exec) return execCheck(probe.exec.command, target);
  if (probe.grpc) return grpcCheck(probe.grpc, target);
  return async () => pass();
}

/**
 * Runs one probe on its period and reports transitions: onResult(true) once successThreshold
 * consecutive successes are seen, onResult(false, why) after failureThreshold consecutive failures.
 */
export class ProbeRunner {
  private timer: Timer | undefined;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  private result: boolean | undefined;
  private readonly periodMs: number;
  private readonly timeoutMs: number;
  private readonly successThreshold: number;
  private readonly failureThreshold: number;

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: Probe,
    private readonly check: ProbeCheck,
    private readonly clock: Clock,
    private readonly onResult: (success: boolean, message: string) => void,
  ) {
    this.periodMs = Math.max(1, probe.periodSeconds ?? 10) * 1000;
    this.timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
    // Liveness and startup probes must have successThreshold 1 (as in Kubernetes).
    this.successThreshold = kind === 'readiness' ? Math.max(1, probe.successThreshold ?? 1) : 1;
    this.failureThreshold = Math.max(1, probe.failureThreshold ?? 3);
  }

  start(): void {
    this.schedule((this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    let outcome: ProbeOutcome;
    try {
      outcome = await this.check(this.timeoutMs);
    } catch (e) {
      outcome = fail((e as Error).message);
    }
    if (this.stopped) return;
    if (outcome.ok) {
      this.successes++;
      this.failures = 0;
      if (this.successes >= this.successThreshold && this.result !== true) {
        this.result = true;
        this.onResult(true, outcome.message);
      }
    } else {
      this.failures++;
      this.successes = 0;
      if (this.failures >= this.failureThreshold && this.result !== false) {
        this.result = false;
        this.onResult(false, outcome.message);
      }
      // A failed liveness probe keeps reporting failure until the container is replaced.
      if (this.kind === 'liveness' && this.failures >= this.failureThreshold) this.result = undefined;
    }
    // A startup probe stops once it has succeeded.
    if (this.kind === 'startup' && this.result === true) return;
    this.schedule(this.periodMs);
  }
}
