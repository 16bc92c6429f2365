// healthcheck -> readiness and liveness exec probes (and a startup probe for start_period), so
// `service_healthy` means Ready as it means healthy in Compose.
import type { Probe } from '../api/types';
import { invalid } from '../errors';
import { type ServiceContext, isObj, where } from './service-context';
import { durationSeconds, wholeSeconds } from './units';

export interface HealthProbes {
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

/** The command of a healthcheck test; undefined for NONE. */
function testCommand(test: unknown, at: string): string[] | undefined {
  if (typeof test === 'string') return ['/bin/sh', '-c', test];
  if (!Array.isArray(test) || test.length === 0) throw invalid(`${at}: must be a string or a list starting with CMD, CMD-SHELL or NONE`);
  const [kind, ...rest] = test.map(String);
  if (kind === 'NONE') return undefined;
  if (kind === 'CMD' && rest.length) return rest;
  if (kind === 'CMD-SHELL' && rest.length) return ['/bin/sh', '-c', rest.join(' ')];
  throw invalid(`${at}: must start with CMD, CMD-SHELL or NONE followed by the command`);
}

export function healthProbes(ctx: ServiceContext): HealthProbes {
  const hc = ctx.def.healthcheck;
  if (!isObj(hc) || hc.disable === true || hc.disable === 'true') return {};
  // A healthcheck without test keeps the image's HEALTHCHECK, which Kite cannot read.
  if (hc.test === undefined) return {};
  const command = testCommand(hc.test, where(ctx, 'healthcheck.test'));
  if (!command) return {};
  const at = (k: string) => where(ctx, `healthcheck.${k}`);
  const period = hc.interval === undefined ? 30 : wholeSeconds(hc.interval as string, at('interval'));
  const timeout = hc.timeout === undefined ? 30 : wholeSeconds(hc.timeout as string, at('timeout'));
  const retries = hc.retries === undefined ? 3 : Math.max(1, Number(hc.retries));
  const base: Probe = { exec: { command }, periodSeconds: period, timeoutSeconds: timeout, failureThreshold: retries };
  const probes: HealthProbes = { readinessProbe: { ...base }, livenessProbe: { ...base } };
  const startPeriod = hc.start_period === undefined ? 0 : durationSeconds(hc.start_period as string, at('start_period'));
  if (startPeriod > 0) {
    // During start_period failures do not count and a success ends it, as a startup probe; then retries apply.
    const startInterval = hc.start_interval === undefined ? 5 : wholeSeconds(hc.start_interval as string, at('start_interval'));
    probes.startupProbe = { exec: { command }, periodSeconds: startInterval, timeoutSeconds: timeout, failureThreshold: Math.ceil(startPeriod / startInterval) + retries };
  }
  return probes;
}
