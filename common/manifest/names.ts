// Kubernetes name rules. Each check returns an error message, or undefined when the value is valid.

const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const IANA_SVC_NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_VAR_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** Namespaces, container names, port names' shape: lowercase alphanumerics and '-', max 63. */
export function dns1123LabelError(v: string): string | undefined {
  if (v.length > 63) return `must be no more than 63 characters (got ${v.length})`;
  if (!DNS1123_LABEL_RE.test(v)) return "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  return undefined;
}

/** Object names: lowercase alphanumerics, '-' and '.', max 253. */
export function dns1123SubdomainError(v: string): string | undefined {
  if (v.length > 253) return `must be no more than 253 characters (got ${v.length})`;
  if (!DNS1123_SUBDOMAIN_RE.test(v)) return "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** Service names: a DNS-1123 label that starts with a letter. */
export function dns1035LabelError(v: string): string | undefined {
  if (v.length > 63) return `must be no more than 63 characters (got ${v.length})`;
  if (!DNS1035_LABEL_RE.test(v)) return "must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
  return undefined;
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain, name max 63 of [A-Za-z0-9-_.]. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix === '') return 'prefix before "/" must not be empty';
    const e = dns1123SubdomainError(prefix);
    if (e) return `prefix "${prefix}" ${e}`;
  }
  if (name === '') return 'name part must not be empty';
  if (name.length > 63) return `name part must be no more than 63 characters (got ${name.length})`;
  if (!QUALIFIED_NAME_RE.test(name)) return "name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return undefined;
}

/** Kubernetes' IsQualifiedName (finalizer names, among others): the same rule as a label key. */
export const qualifiedNameError = labelKeyError;

/** Label values: empty, or max 63 of [A-Za-z0-9-_.] starting and ending alphanumeric. */
export function labelValueError(v: string): string | undefined {
  if (v === '') return undefined;
  if (v.length > 63) return `must be no more than 63 characters (got ${v.length})`;
  if (!QUALIFIED_NAME_RE.test(v)) return "must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return undefined;
}

/** Named ports: max 15 lowercase alphanumerics and '-', with at least one letter, no "--". */
export function portNameError(v: string): string | undefined {
  if (v.length > 15) return `must be no more than 15 characters (got ${v.length})`;
  if (!IANA_SVC_NAME_RE.test(v)) return "must contain only lowercase letters, digits and '-', starting and ending with a letter or digit";
  if (v.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(v)) return 'must contain at least one letter';
  return undefined;
}

export function envVarNameError(v: string): string | undefined {
  if (!ENV_VAR_NAME_RE.test(v)) return "must consist of letters, digits, '_', '-' or '.', and must not start with a digit";
  return undefined;
}

/** ConfigMap and Secret keys. */
export function configKeyError(v: string): string | undefined {
  if (v.length > 253) return `must be no more than 253 characters (got ${v.length})`;
  if (!CONFIG_KEY_RE.test(v)) return "must consist of letters, digits, '-', '_' or '.'";
  if (v === '.' || v === '..') return `must not be "${v}"`;
  // Kubernetes allows it, but here keys become properties of plain objects (the Secret's data,
  // the agent's resolved values), where assigning "__proto__" silently drops the value.
  if (v === '__proto__') return 'must not be "__proto__"';
  return undefined;
}
