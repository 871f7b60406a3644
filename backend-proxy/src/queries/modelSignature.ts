/**
 * Reads the input columns of an MLflow model signature from an `MLmodel` file. MLflow writes the signature as
 * JSON inside a single-quoted YAML scalar (`inputs: '[{"type": "double", "name": "age"}]'`) that YAML folds
 * over several lines when long; this reads that one scalar without a YAML parser. Returns [] when the model
 * has no column-based signature.
 */
export function signatureInputNames(mlmodel: string): string[] {
  const start = /^\s+inputs:\s*'/m.exec(mlmodel);
  if (!start) return [];
  let raw = '';
  let i = start.index + start[0].length;
  for (; i < mlmodel.length; i++) {
    const ch = mlmodel[i];
    if (ch === "'") {
      if (mlmodel[i + 1] !== "'") break;
      raw += "'";
      i++;
    } else raw += ch;
  }
  if (i >= mlmodel.length) return [];
  // YAML folding: a line break plus the next line's indentation reads as one space.
  const json = raw.replace(/[ \t]*\r?\n[ \t]*/g, ' ');
  try {
    const columns = JSON.parse(json) as Array<{ name?: unknown }>;
    return Array.isArray(columns) ? columns.map((c) => c.name).filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}
