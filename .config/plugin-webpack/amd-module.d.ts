/** SystemJS's AMD `module` dependency (the bundle's own load record), aliased as `amd-module` by the externals. */
declare module 'amd-module' {
  const amdModule: { uri?: string } | undefined;
  export default amdModule;
}
