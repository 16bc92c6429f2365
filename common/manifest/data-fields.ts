// Schema pieces shared by ConfigMap and Secret: base64 values and the 1 MiB data limit.
import { err } from './fields';
import { type Ctx, type Obj, type Schema, isObj, join } from './schema';

export const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64Rule = (v: string) => (BASE64_RE.test(v) ? undefined : 'must be base64-encoded (use stringData for plain text)');
export const base64Value: Schema = { t: 'string', rule: base64Rule };
/** Secret values: the same checks, and no error message ever quotes the value (see Schema `sensitive`). */
export const secretBase64Value: Schema = { t: 'string', rule: base64Rule, sensitive: true };
export const secretStringValue: Schema = { t: 'string', sensitive: true };
export const MAX_DATA_BYTES = 1024 * 1024;

export function dataSizeHook(fields: string[]) {
  return (o: Obj, path: string, ctx: Ctx) => {
    let size = 0;
    const seen = new Set<string>();
    for (const f of fields) {
      const m = o[f];
      if (!isObj(m)) continue;
      for (const [k, v] of Object.entries(m)) {
        size += k.length + (typeof v === 'string' ? v.length : 0);
        if (seen.has(k) && f !== 'stringData') err(ctx, join(join(path, f), k), `duplicate key ${JSON.stringify(k)} (also in ${fields.filter((x) => x !== f).join('/')})`);
        seen.add(k);
      }
    }
    if (size > MAX_DATA_BYTES) err(ctx, path, `data is ${size} bytes, over the limit of ${MAX_DATA_BYTES} bytes (1 MiB)`);
  };
}
