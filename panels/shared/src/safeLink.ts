/** Schemes a panel may navigate to; anything else (javascript:, data:, vbscript:, …) is refused. */
const SAFE_SCHEMES = new Set(['http:', 'https:']);
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Whether a link is safe to put in an `href` or navigate to: an absolute http(s) URL or a relative path.
 * Protocol-relative `//host` links are refused too (they leave the Grafana origin without saying so).
 * @param url candidate link, e.g. from a frame field or a panel option
 * @returns true for `https://…`, `http://…`, `/d/abc`, `runs/1`, `?x=1`
 */
export function isSafeLink(url: string): boolean {
  const trimmed = url.trim();
  // Control characters (tabs, newlines) are dropped by URL parsers, so `java\tscript:` would still run.
  if (trimmed === '' || [...trimmed].some((c) => c.charCodeAt(0) < 0x20)) return false;
  if (trimmed.startsWith('//') || trimmed.startsWith('\\')) return false;
  const scheme = SCHEME.exec(trimmed);
  return scheme === null || SAFE_SCHEMES.has((scheme[1] ?? '').toLowerCase() + ':');
}

/**
 * Joins a link from a frame (absolute, or relative to a base URL such as the MLflow UI) and returns it only if
 * the result is safe; undefined otherwise.
 * @param base base URL option, may be empty
 * @param link link value, e.g. `#/experiments/1/runs/abc`
 */
export function joinLink(base: string, link: string): string | undefined {
  const value = link.trim();
  if (value === '' || !isSafeLink(value)) return undefined;
  if (SCHEME.test(value) || base.trim() === '') return value;
  const root = base.trim();
  if (!isSafeLink(root)) return undefined;
  const joined = `${root.replace(/\/+$/, '')}/${value.replace(/^\/+/, '')}`;
  return isSafeLink(joined) ? joined : undefined;
}
