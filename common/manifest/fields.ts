// Schema pieces shared by several kinds: the schema builders, object metadata, labels and label
// selectors. Each kind's own schema lives in its module in common/kinds/; this file (and
// pod-fields.ts, workload-fields.ts, data-fields.ts) must not import the kind registry, so
// the kinds can import them without a cycle.
import { dns1123LabelError, labelKeyError, labelValueError, qualifiedNameError } from './names';
import { type Ctx, type ObjectSchema, type Schema, join } from './schema';

/** Schema builders: `S.obj({...})` reads like the object it checks. */
export const S = {
  str: (rule?: (v: string) => string | undefined): Schema => ({ t: 'string', rule }),
  nonEmpty: (rule?: (v: string) => string | undefined): Schema => ({ t: 'string', nonEmpty: true, rule }),
  oneOf: (...values: string[]): Schema => ({ t: 'string', enum: values }),
  int: (min?: number, max?: number): Schema => ({ t: 'int', min, max }),
  bool: { t: 'bool' } as Schema,
  any: { t: 'any' } as Schema,
  anyObject: { t: 'anyObject' } as Schema,
  list: (items: Schema, nonEmpty = false, hook?: (v: unknown[], path: string, ctx: Ctx) => void): Schema => ({ t: 'array', items, nonEmpty, hook }),
  map: (values: Schema, key?: (k: string) => string | undefined): Schema => ({ t: 'map', values, key }),
  obj: (fields: Record<string, Schema>, more: Omit<ObjectSchema, 't' | 'fields'> = {}): ObjectSchema => ({ t: 'object', fields, ...more }),
};

export const set = (...names: string[]): ReadonlySet<string> => new Set(names);
export const err = (ctx: Ctx, path: string, message: string) => ctx.errors.push({ path, message });
export const warn = (ctx: Ctx, path: string, message: string) => ctx.warnings.push({ path, message });
export const strings = S.list(S.str());
export const port: Schema = S.int(1, 65535);
export const nonNegative = S.int(0);
export const positive = S.int(1);

export const labelsSchema: Schema = S.map(S.str(labelValueError), labelKeyError);
export const annotationsSchema: Schema = {
  t: 'map',
  values: S.str(),
  key: labelKeyError,
  hook: (v, path, ctx) => {
    let size = 0;
    for (const [k, val] of Object.entries(v)) size += k.length + (typeof val === 'string' ? val.length : 0);
    if (size > 256 * 1024) err(ctx, path, `total size ${size} bytes is over the limit of 262144 bytes`);
  },
};

export const ownerReference = S.obj(
  { apiVersion: S.nonEmpty(), kind: S.nonEmpty(), name: S.nonEmpty(), uid: S.nonEmpty(), controller: S.bool, blockOwnerDeletion: S.bool },
  { required: ['apiVersion', 'kind', 'name', 'uid'] },
);

export const metadata = S.obj(
  {
    name: S.nonEmpty(), // the kind-specific name rule is applied in validateObject
    namespace: S.str(dns1123LabelError),
    labels: labelsSchema,
    annotations: annotationsSchema,
    uid: S.str(),
    resourceVersion: S.str(),
    generation: nonNegative,
    creationTimestamp: S.str(),
    deletionTimestamp: S.str(),
    ownerReferences: S.list(ownerReference),
    generateName: S.str(),
    // Finalizers hold deletion until whoever owns each name removes it; the grace period is set by a graceful delete.
    finalizers: S.list(S.nonEmpty(qualifiedNameError)),
    deletionGracePeriodSeconds: nonNegative,
  },
  {
    required: ['name'],
    // Present in objects exported from a real cluster; meaningless here.
    ignored: set('managedFields', 'selfLink', 'clusterName'),
  },
);

// Template metadata: names and namespaces there are ignored by Kubernetes, so only labels/annotations matter.
export const templateMetadata = S.obj(
  { name: S.str(), namespace: S.str(), labels: labelsSchema, annotations: annotationsSchema, generateName: S.str(), creationTimestamp: S.any },
  { unsupported: set('finalizers', 'ownerReferences') },
);

export const selectorRequirement = (operators: string[]) =>
  S.obj(
    { key: S.nonEmpty(labelKeyError), operator: S.oneOf(...operators), values: strings },
    {
      required: ['key', 'operator'],
      hook: (o, path, ctx) => {
        const values = Array.isArray(o.values) ? o.values : [];
        const op = o.operator;
        if ((op === 'In' || op === 'NotIn') && values.length === 0) err(ctx, join(path, 'values'), `must have at least one value for operator ${op}`);
        if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) err(ctx, join(path, 'values'), `must be empty for operator ${op}`);
        if (op === 'Gt' || op === 'Lt') {
          // Only a string can be the integer (other items are reported as not strings); String() of an
          // object without a prototype would throw.
          const v: unknown = values[0];
          if (values.length !== 1 || typeof v !== 'string' || !/^-?\d+$/.test(v)) err(ctx, join(path, 'values'), `must be a single integer for operator ${op}`);
        }
      },
    },
  );

export const labelSelector = S.obj({
  matchLabels: labelsSchema,
  matchExpressions: S.list(selectorRequirement(['In', 'NotIn', 'Exists', 'DoesNotExist'])),
});

/** Fields every kind has at its top level. */
export const base = { apiVersion: S.str(), kind: S.str(), metadata };
/** A `status` written by the system; validateObject warns when a user's manifest sets one. */
export const status = { status: S.any };
