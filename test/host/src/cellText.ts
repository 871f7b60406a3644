/** A frame cell as the host's tables print it: raw values, so tests can compare them with the proxy's JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
