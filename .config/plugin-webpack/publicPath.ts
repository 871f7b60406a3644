// Runs before module.ts: lazy chunks and assets load from wherever Grafana served module.js (SystemJS passes the
// bundle's own URL as the AMD `module` dependency), falling back to Grafana's default plugin path.
import amdModule from 'amd-module';

declare global {
  // Webpack's public path, set at run time; webpack rewrites assignments to it.
  var __webpack_public_path__: string;
}

const uri = amdModule?.uri;
__webpack_public_path__ = uri ? uri.slice(0, uri.lastIndexOf('/') + 1) : `public/plugins/${process.env.PLUGIN_ID}/`;
