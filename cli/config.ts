// Where the CLI finds the controller and its credential: --server, then KITE_SERVER, then the
// config file (KITE_CONFIG, default ~/.kite/config), then the default address.
import * as os from 'node:os';
import * as path from 'node:path';
import { invalid } from '../common/errors';
import { readClientConfig, type ClientConfig } from '../common/client-config';

export const DEFAULT_SERVER = '127.0.0.1:7400';

export function configPath(): string {
  return process.env.KITE_CONFIG ?? path.join(os.homedir(), '.kite', 'config');
}

export function readConfig(file = configPath()): ClientConfig {
  return readClientConfig(file);
}

export function resolveServer(flag: string | undefined): string {
  const server = flag || process.env.KITE_SERVER || readConfig().server || DEFAULT_SERVER;
  const hostPort = server.replace(/^(grpc|https?):\/\//, '');
  if (!/^[^\s/]+:\d{1,5}$/.test(hostPort)) throw invalid(`server "${server}" is not HOST:PORT`);
  return hostPort;
}
