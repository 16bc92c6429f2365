// Compose names -> Kubernetes names: the project name (which becomes the namespace) and the names
// of services, volumes, configs and secrets (which become object names).
import * as path from 'node:path';
import { invalid } from '../errors';

/** Compose's normalisation of a project name: lowercase, only [a-z0-9_-], starting with a letter or digit. */
export function normaliseProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

/** The project name: -p over the file's `name:` over the first file's directory, as Compose chooses it. */
export function projectName(flag: string | undefined, fromFile: unknown, firstFile: string): string {
  const raw = flag ?? (typeof fromFile === 'string' && fromFile !== '' ? fromFile : path.basename(path.dirname(path.resolve(firstFile))));
  const name = normaliseProjectName(raw);
  if (!name) throw invalid(`project name "${raw}" has no letters or digits; set one with -p NAME or name: in the file`);
  return name;
}

/**
 * A DNS label (RFC 1123, at most 63 characters) for a Compose name: lowercase, `_` and `.` -> `-`.
 * Kubernetes Service names also need a leading letter (RFC 1035); a name that cannot become one is an error.
 */
export function dnsLabel(name: string, what: string): string {
  const label = name.toLowerCase().replace(/[_.]/g, '-');
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(label) || label.length > 63) {
    throw invalid(`${what} "${name}" cannot be a Kubernetes name (a DNS label: letters, digits and "-", starting with a letter, at most 63 characters)`);
  }
  return label;
}
