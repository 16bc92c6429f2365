// Warnings for the Compose keys Kite cannot honour, each naming the key, so nothing is dropped silently.
import type { ComposeProject } from './project';
import { isObj } from './service-context';

/** Service keys the conversion maps (or warns about itself with a more precise reason). */
const HONOURED_SERVICE_KEYS = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'working_dir', 'user', 'labels', 'annotations',
  'hostname', 'cap_add', 'cap_drop', 'privileged', 'read_only', 'stop_grace_period', 'restart', 'healthcheck', 'deploy',
  'depends_on', 'ports', 'expose', 'volumes', 'tmpfs', 'configs', 'secrets', 'profiles', 'networks', 'tty', 'stdin_open',
  'pull_policy', 'cpus', 'mem_limit', 'mem_reservation', 'extra_hosts', 'dns', 'dns_search', 'dns_opt', 'sysctls', 'pid',
  'ipc', 'network_mode', 'group_add', 'scale',
]);

const HONOURED_DEPLOY_KEYS = new Set(['mode', 'replicas', 'resources', 'placement', 'update_config', 'restart_policy', 'labels', 'rollback_config', 'endpoint_mode']);

/** Why a few common keys are not honoured, where there is more to say than "not supported". */
const REASONS: Record<string, string> = {
  container_name: 'is ignored: pods are named by their workload, and other services reach this one by its service name',
  links: 'is ignored: every service is reachable by its name; use networks aliases for other names',
  stop_signal: 'is not supported by Kite; containers get SIGTERM, then SIGKILL after stop_grace_period',
  logging: 'is ignored: use kite logs',
  init: 'is not supported by Kite; ignored',
  extends: 'is not supported by Kite; write the service out in full',
};

export function unsupportedKeyWarnings(project: ComposeProject, active: string[]): string[] {
  const out: string[] = [];
  const f = project.file;
  const services = isObj(project.model.services) ? project.model.services : {};
  for (const name of active) {
    const def = services[name];
    if (!isObj(def)) continue;
    for (const key of Object.keys(def)) {
      if (HONOURED_SERVICE_KEYS.has(key) || key.startsWith('x-')) continue;
      out.push(`${f}: services.${name}.${key}: ${REASONS[key] ?? 'is not supported by Kite; ignored'}`);
    }
    if (isObj(def.deploy)) for (const key of Object.keys(def.deploy)) if (!HONOURED_DEPLOY_KEYS.has(key) && !key.startsWith('x-')) out.push(`${f}: services.${name}.deploy.${key}: is not supported by Kite; ignored`);
    if (isObj(def.networks)) {
      for (const [net, cfg] of Object.entries(def.networks)) {
        if (isObj(cfg)) for (const k of Object.keys(cfg)) if (k !== 'aliases') out.push(`${f}: services.${name}.networks.${net}.${k}: is not supported by Kite (one flat pod network); ignored`);
      }
    }
  }
  const networks = isObj(project.model.networks) ? Object.keys(project.model.networks) : [];
  if (networks.length > 1) out.push(`${f}: networks: Kite has one flat pod network: the ${networks.length} networks declared are one, and every service reaches every other`);
  for (const key of Object.keys(project.model)) {
    if (!['name', 'version', 'services', 'networks', 'volumes', 'configs', 'secrets'].includes(key) && !key.startsWith('x-')) out.push(`${f}: ${key}: is not supported by Kite; ignored`);
  }
  return out;
}
