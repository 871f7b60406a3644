/**
 * `setPluginPage` for the 12.0.2 line: its @grafana/runtime CommonJS build keeps `PluginPage` as a plain, writable
 * property of its exports (the shared module object reads it on each access). The 13.x build resolves this import to
 * its own `components/PluginPage.cjs`, whose `setPluginPage` is internal (build.ts).
 */
export function setPluginPage(component: unknown): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('@grafana/runtime') as { PluginPage: unknown }).PluginPage = component;
}
