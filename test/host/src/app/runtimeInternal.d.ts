/** @grafana/runtime's internal `setPluginPage` (Grafana's app.ts calls it), resolved per line by build.ts. */
declare module 'grafana-runtime-internal:plugin-page' {
  export function setPluginPage(component: unknown): void;
}
