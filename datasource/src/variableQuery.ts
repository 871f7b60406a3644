import { VARIABLE_KINDS, type VariableKind } from '@mlsight/contract';
import type { MLSightVariableQuery } from './types';

export function isVariableKind(value: unknown): value is VariableKind {
  return typeof value === 'string' && (VARIABLE_KINDS as readonly string[]).includes(value);
}

const OPTIONAL_KEYS = ['model', 'experiment', 'search'] as const;

function kindError(kind: unknown): Error {
  return new Error(`Unknown variable kind ${JSON.stringify(kind)}; use one of ${VARIABLE_KINDS.join(', ')}`);
}

/**
 * Reads a variable definition: the object the variable editor saves, or the text form for provisioned dashboards,
 * `<kind>` or `<kind>?model=<model>&experiment=<id>&search=<text>` (e.g. `versions?model=$model`).
 */
export function parseVariableQuery(raw: unknown): MLSightVariableQuery {
  if (typeof raw === 'string') {
    const text = raw.trim();
    const [kind = '', queryString = ''] = text.split('?', 2);
    if (!isVariableKind(kind)) throw kindError(kind);
    const params = new URLSearchParams(queryString);
    const query: MLSightVariableQuery = { refId: 'variable', kind };
    for (const key of OPTIONAL_KEYS) {
      const value = params.get(key);
      if (value) query[key] = value;
    }
    return query;
  }
  if (typeof raw !== 'object' || raw === null || !('kind' in raw)) {
    throw new Error(`A variable query needs a kind (${VARIABLE_KINDS.join(', ')})`);
  }
  if (!isVariableKind(raw.kind)) throw kindError(raw.kind);
  const query: MLSightVariableQuery = {
    refId: 'refId' in raw && typeof raw.refId === 'string' ? raw.refId : 'variable',
    kind: raw.kind,
  };
  for (const key of OPTIONAL_KEYS) {
    const value: unknown = key in raw ? Reflect.get(raw, key) : undefined;
    if (typeof value === 'string' && value !== '') query[key] = value;
  }
  return query;
}

/** The text form of a variable definition (shown in the variable list and usable in provisioning). */
export function formatVariableQuery(query: MLSightVariableQuery): string {
  const params = new URLSearchParams();
  for (const key of OPTIONAL_KEYS) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  const qs = params.toString();
  return qs ? `${query.kind}?${qs}` : query.kind;
}
