// Where the CLI finds the controller: --server, then KITE_SERVER, then ~/.kite/config, then the default.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { invalid } from '../common/errors';

export const DEFAULT_SERVER = '127.0.0.1:7400';

export function configPath(): string {
  return process.env.KITE_CONFIG ?? path.join(os.homedir(), '.kite', 'config');
}

export interface CliConfig {
  server?: string;
  namespace?: string;
}

export function readConfig(file = configPath()): CliConfig {
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalid(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid(`${file}: must be a mapping like "server: 127.0.0.1:7400"`);
  const c = parsed as Record<string, unknown>;
  for (const k of Object.keys(c)) if (k !== 'server' && k !== 'namespace') throw invalid(`${file}: unknown setting "${k}" (known: server, namespace)`);
  if (c.server !== undefined && typeof c.server !== 'string') throw invalid(`${file}: server must be a string HOST:PORT`);
  if (c.namespace !== undefined && typeof c.namespace !== 'string') throw invalid(`${file}: namespace must be a string`);
  return c as CliConfig;
}

export function resolveServer(flag: string | undefined): string {
  const server = flag || process.env.KITE_SERVER || readConfig().server || DEFAULT_SERVER;
  const hostPort = server.replace(/^(grpc|http):\/\//, '');
  if (!/^[^\s/]+:\d{1,5}$/.test(hostPort)) throw invalid(`server "${server}" is not HOST:PORT`);
  return hostPort;
}
