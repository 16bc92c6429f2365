// The contract between the Compose converter (common/compose) and the depends_on controller
// (controller/workloads/depends-on.ts): a pod held back by the gate `kite.io/depends-on` lists what
// it waits for in the annotation of the same name, a JSON array of
// {"service": NAME, "condition": CONDITION}. NAME is a Compose service of the pod's namespace (the
// project); its pods and Job carry the label com.docker.compose.service: NAME.
export const DEPENDS_ON_GATE = 'kite.io/depends-on';
export const DEPENDS_ON_ANNOTATION = 'kite.io/depends-on';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

export const DEPENDENCY_CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'] as const;
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number];

export interface Dependency {
  service: string;
  condition: DependencyCondition;
}

export type ParsedDependencies = { ok: true; dependencies: Dependency[] } | { ok: false; problem: string };

/** Reads the annotation; a problem names what is wrong with it (the caller warns and keeps the gate). */
export function parseDependsOn(raw: string | undefined): ParsedDependencies {
  const where = `annotation ${DEPENDS_ON_ANNOTATION}`;
  if (raw === undefined) return { ok: false, problem: `${where} is missing: nothing says what the pod waits for` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { ok: false, problem: `${where} is not JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(value)) return { ok: false, problem: `${where} must be a JSON array of {"service": NAME, "condition": CONDITION}` };
  const dependencies: Dependency[] = [];
  for (const [i, item] of value.entries()) {
    const at = `${where}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return { ok: false, problem: `${at} must be an object {"service": NAME, "condition": CONDITION}` };
    const { service, condition } = item as Record<string, unknown>;
    if (typeof service !== 'string' || service === '') return { ok: false, problem: `${at}.service must be a non-empty string` };
    if (!isDependencyCondition(condition)) {
      return { ok: false, problem: `${at}.condition ${JSON.stringify(condition ?? null)} for service "${service}" is not one of ${DEPENDENCY_CONDITIONS.join(', ')}` };
    }
    dependencies.push({ service, condition });
  }
  return { ok: true, dependencies };
}

function isDependencyCondition(v: unknown): v is DependencyCondition {
  return (DEPENDENCY_CONDITIONS as readonly unknown[]).includes(v);
}

/** 'service "db" to be healthy': what a dependency waits for, in words. */
export function describeDependency(d: Dependency): string {
  const what = d.condition === 'service_started' ? 'to start' : d.condition === 'service_healthy' ? 'to be healthy' : 'to complete successfully';
  return `service "${d.service}" ${what}`;
}
