import type { z } from 'zod';

/** Body of every 4xx/5xx answer of the proxy. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  /** Dotted path of the offending field, e.g. `queries[0].model`. */
  field?: string;
  issues?: Array<{ field: string; message: string }>;
  /** On a 500: the id of the proxy's log line that holds the details (the answer never carries a stack). */
  errorId?: string;
}

/** Formats a zod issue path the way a user reads it: `queries[0].features[2]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Turns zod issues into field/message pairs, first issue first. */
export function describeIssues(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  prefix: ReadonlyArray<PropertyKey> = []
): Array<{ field: string; message: string }> {
  return issues.map((issue) => ({ field: formatPath([...prefix, ...issue.path]), message: issue.message }));
}
