// What converting one Compose service needs: the project, the service's definition, and where
// warnings go (each names the file and the key path).
import type { ComposeProject } from './project';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface ServiceContext {
  project: ComposeProject;
  /** The Compose service name. */
  name: string;
  /** The Kubernetes name the service's objects get (a DNS label). */
  objectName: string;
  def: Obj;
  warnings: string[];
}

/** "compose.yaml: services.web.ports[0]" */
export function where(ctx: ServiceContext, key: string): string {
  return `${ctx.project.file}: services.${ctx.name}${key ? `.${key}` : ''}`;
}

export function warn(ctx: ServiceContext, key: string, message: string): void {
  ctx.warnings.push(`${where(ctx, key)}: ${message}`);
}

/** A list-or-string Compose value (command, entrypoint, tmpfs, dns...) as a list; strings split as a shell would for words. */
export function stringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  return splitShellWords(String(v));
}

/** Splits a command string into words with shell quoting ('...', "...", \), as Compose does for string commands. */
export function splitShellWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur) words.push(cur);
  return words;
}
