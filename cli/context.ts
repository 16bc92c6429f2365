// What every command gets: the resolved server, a client made on first use, the namespace flags.
import { KiteClient } from '../common/client';
import { lookupKind, kindInfo, type KindInfo } from '../common/kinds/registry';
import { invalid } from '../common/errors';
import type { KObject } from '../common/api/types';
import { configPath, resolveServer, readConfig } from './config';
import { clientSecurity } from '../common/client-config';
import { parseDuration } from '../common/flags';

export { parseDuration };

export interface GlobalFlags {
  server?: string;
  namespace?: string;
  allNamespaces?: boolean;
  requestTimeout?: string;
}

export class CliContext {
  private clientInstance: KiteClient | undefined;

  constructor(readonly flags: GlobalFlags) {}

  get client(): KiteClient {
    if (!this.clientInstance) {
      const timeout = this.flags.requestTimeout ? parseDuration(this.flags.requestTimeout, '--request-timeout') : 30_000;
      const file = configPath();
      this.clientInstance = new KiteClient(resolveServer(this.flags.server), clientSecurity(readConfig(file), file), timeout);
    }
    return this.clientInstance;
  }

  get namespace(): string {
    return this.flags.namespace || readConfig().namespace || 'default';
  }

  close(): void {
    this.clientInstance?.close();
  }
}

export function resolveKindArg(name: string): KindInfo {
  const info = lookupKind(name);
  if (!info) throw invalid(`the server doesn't have a resource type "${name}"`);
  return info;
}

/** `deployment/web` or (`deployment`, `web`) -> kind info and name. */
export function splitTypeName(first: string, second?: string): { info: KindInfo; name: string } {
  if (first.includes('/')) {
    const [k, n] = first.split('/', 2) as [string, string];
    if (!n) throw invalid(`"${first}" must be TYPE/NAME`);
    return { info: resolveKindArg(k), name: n };
  }
  if (!second) throw invalid(`"${first}" must be TYPE/NAME or TYPE NAME`);
  return { info: resolveKindArg(first), name: second };
}

/** kubectl's `deployment.apps/web` naming. */
export function qualifiedName(obj: { kind: string; name: string }): string {
  const info = kindInfo(obj.kind);
  const group = info && info.apiVersion.includes('/') ? '.' + info.apiVersion.split('/')[0] : '';
  return `${obj.kind.toLowerCase()}${group}/${obj.name}`;
}

export function objectRef(o: KObject): string {
  return qualifiedName({ kind: o.kind, name: o.metadata.name });
}

