// What a Kubernetes API path names: the version and discovery documents, OpenAPI, or a resource
// (a collection, one object, or one of its subresources). Pure parsing; the server decides what
// each one means.

export type ApiPath =
  | { type: 'version' }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'openapiV2' }
  | { type: 'openapiV3' }
  | { type: 'openapiV3Document'; groupVersion: string }
  | ResourcePath;

export interface ResourcePath {
  type: 'resource';
  /** '' for the core group (/api/v1). */
  group: string;
  version: string;
  /** Plural resource name, as in the URL. */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The API path `pathname` names, or undefined (answered 404). */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  let segments: string[];
  try {
    segments = parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  // No name has these; refusing them here keeps them out of every store key.
  if (segments.some((p) => p === '.' || p === '..' || p.includes('/') || p === '')) return undefined;
  const [root, ...rest] = segments;
  switch (root) {
    case 'version':
      return rest.length === 0 ? { type: 'version' } : undefined;
    case 'openapi':
      if (rest.length === 1 && rest[0] === 'v2') return { type: 'openapiV2' };
      if (rest[0] !== 'v3') return undefined;
      return rest.length === 1 ? { type: 'openapiV3' } : { type: 'openapiV3Document', groupVersion: rest.slice(1).join('/') };
    case 'api':
      if (rest.length === 0) return { type: 'api' };
      if (rest.length === 1) return { type: 'groupVersion', group: '', version: rest[0]! };
      return resourcePath('', rest[0]!, rest.slice(1));
    case 'apis':
      if (rest.length === 0) return { type: 'apis' };
      if (rest.length === 1) return { type: 'group', group: rest[0]! };
      if (rest.length === 2) return { type: 'groupVersion', group: rest[0]!, version: rest[1]! };
      return resourcePath(rest[0]!, rest[1]!, rest.slice(2));
    default:
      return undefined;
  }
}

/**
 * After the group version: `RES[/NAME[/SUB]]`, or `namespaces/NS/RES[/NAME[/SUB]]`. A Namespace
 * itself is `namespaces/NAME[/SUB]`: three or more segments after `namespaces` mean a namespaced
 * resource, as in Kubernetes' request info resolver.
 */
function resourcePath(group: string, version: string, segs: string[]): ResourcePath | undefined {
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    const [, namespace, resource, name, subresource, ...extra] = segs;
    if (extra.length) return undefined;
    return { type: 'resource', group, version, resource: resource!, namespace, ...(name !== undefined ? { name } : {}), ...(subresource !== undefined ? { subresource } : {}) };
  }
  const [resource, name, subresource, ...extra] = segs;
  if (extra.length || !resource) return undefined;
  return { type: 'resource', group, version, resource, ...(name !== undefined ? { name } : {}), ...(subresource !== undefined ? { subresource } : {}) };
}
