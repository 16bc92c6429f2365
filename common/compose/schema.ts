// Validation of a Compose file against the Compose specification's JSON schema
// (compose-spec.json: vendored from github.com/compose-spec/compose-spec, Apache-2.0; see SOURCE.md),
// with ajv. Each problem names the file and the key path: `compose.yaml: services.web.ports[0]: ...`.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import composeSpecSchema from './compose-spec.json';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // strict: false: the schema uses annotations (deprecated) that ajv's draft-07 mode does not know;
  // validateSchema: false: it names its meta-schema by an https URL ajv does not ship under that name.
  compiled ??= new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(composeSpecSchema);
  return compiled;
}

/** "/services/web/ports/0" -> "services.web.ports[0]". */
export function keyPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, seg) => (/^\d+$/.test(seg) ? `${path}[${seg}]` : path ? `${path}.${seg}` : seg), '');
}

function describeGroup(errors: ErrorObject[]): string {
  const extra = errors.filter((e) => e.keyword === 'additionalProperties').map((e) => String((e.params as { additionalProperty: string }).additionalProperty));
  if (extra.length) return `${[...new Set(extra)].map((k) => `"${k}"`).join(', ')} ${extra.length > 1 ? 'are' : 'is'} not allowed (not a Compose key)`;
  const types = errors.filter((e) => e.keyword === 'type').flatMap((e) => String((e.params as { type: string | string[] }).type).split(','));
  if (types.length) return `must be ${[...new Set(types)].map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${t}`)).join(' or ')}`;
  const meaningful = errors.find((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf') ?? errors[0]!;
  if (meaningful.keyword === 'enum') return `must be one of ${((meaningful.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`;
  return meaningful.message ?? 'is invalid';
}

/** The problems of one (interpolated) Compose file, each `file: key.path: message`; empty when valid. */
export function schemaProblems(doc: unknown, file: string): string[] {
  const validate = validator();
  if (validate(doc)) return [];
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of validate.errors ?? []) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  // A oneOf/anyOf that failed because something inside it failed is reported there, not at the parent.
  const paths = [...byPath.keys()].filter((p) => {
    const onlyCombinators = byPath.get(p)!.every((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'type');
    return !(onlyCombinators && [...byPath.keys()].some((q) => q !== p && q.startsWith(p + '/')));
  });
  return paths.map((p) => {
    const where = keyPath(p);
    return `${file}: ${where ? `${where}: ` : ''}${describeGroup(byPath.get(p)!)}`;
  });
}
