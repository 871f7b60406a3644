/**
 * A small AMD loader with a shared-module registry, in the shape of SystemJS + its AMD extra as Grafana's plugin
 * loader uses them: a plugin's `module.js` is loaded by a <script> tag, calls the global `define(deps, factory)`, and
 * its dependencies resolve by name to the host's own copies (react, @grafana/*, …); `module` resolves to the
 * plugin's own URL; anything else is an error, as it is in Grafana.
 */

type Factory = (...deps: unknown[]) => unknown;

interface PendingDefine {
  deps: string[];
  factory: Factory | Record<string, unknown>;
}

/** Thrown when a plugin asks for a module the host does not share (Grafana refuses those too). */
export class UnknownSharedModuleError extends Error {
  constructor(
    readonly moduleName: string,
    readonly importer: string
  ) {
    super(`${importer} imports "${moduleName}", which the host does not share; bundle it into the plugin`);
    this.name = 'UnknownSharedModuleError';
  }
}

export interface AmdModuleRecord {
  /** The value `define`'s factory returned, or `module.exports` when it returned nothing. */
  exports: unknown;
  /** The names of the shared modules the plugin asked for, in its `define` order. */
  dependencies: string[];
}

interface DefineFn {
  (deps: string[] | Factory | Record<string, unknown>, factory?: Factory | Record<string, unknown>): void;
  (name: string, deps: string[], factory: Factory): void;
  amd: Record<string, never>;
}

declare global {
  interface Window {
    define?: DefineFn;
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The loader: shared modules registered by name, plugin modules imported by URL. */
export class AmdLoader {
  private readonly shared = new Map<string, unknown>();
  private readonly loaded = new Map<string, Promise<AmdModuleRecord>>();
  /** Anonymous defines in the order the scripts ran, claimed by the script's load event (as SystemJS does). */
  private lastDefine: PendingDefine | undefined;

  /** Share a module under the name plugins import it by. */
  register(name: string, moduleValue: unknown): void {
    this.shared.set(name, moduleValue);
  }

  sharedNames(): string[] {
    return [...this.shared.keys()].sort();
  }

  /**
   * Installs the global `define` (with `define.amd`, which UMD bundles test for). Call it only after every UMD
   * library of the host has been evaluated, or they register themselves as AMD modules and export nothing.
   */
  installGlobalDefine(): void {
    const define = ((a: unknown, b?: unknown, c?: unknown) => {
      if (typeof a === 'string' && isStringArray(b) && typeof c === 'function') {
        // Named define: SystemJS keys it by name, so a later `define([name])` resolves to it.
        this.shared.set(a, this.evaluate({ deps: b, factory: c as Factory }, a).exports);
        return;
      }
      if (isStringArray(a)) this.lastDefine = { deps: a, factory: b as Factory };
      else this.lastDefine = { deps: ['require', 'exports', 'module'], factory: a as Factory };
    }) as DefineFn;
    define.amd = {};
    window.define = define;
  }

  /** Loads `url` once (a script tag, like SystemJS in the browser) and returns what its `define` produced. */
  import(url: string): Promise<AmdModuleRecord> {
    const absolute = new URL(url, window.location.href).href;
    const existing = this.loaded.get(absolute);
    if (existing) return existing;
    const pending = this.loadScript(absolute).then(() => {
      const definition = this.lastDefine;
      this.lastDefine = undefined;
      if (!definition) throw new Error(`${absolute} did not call define(): it is not an AMD module`);
      return this.evaluate(definition, absolute);
    });
    this.loaded.set(absolute, pending);
    return pending;
  }

  private loadScript(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => reject(new Error(`Could not load ${url}`)));
      document.head.appendChild(script);
    });
  }

  private evaluate(definition: PendingDefine, id: string): AmdModuleRecord {
    const module = { id, uri: id, exports: {} as Record<string, unknown> };
    const deps = definition.deps.map((name) => this.resolve(name, id, module));
    const { factory } = definition;
    const returned = typeof factory === 'function' ? factory(...deps) : factory;
    return {
      exports: returned === undefined ? module.exports : returned,
      dependencies: definition.deps.filter((d) => !['require', 'exports', 'module'].includes(d)),
    };
  }

  private resolve(name: string, importer: string, module: { exports: Record<string, unknown> }): unknown {
    if (name === 'exports') return module.exports;
    if (name === 'module') return module;
    if (name === 'require') {
      return (dep: string) => this.resolve(dep, importer, module);
    }
    if (this.shared.has(name)) return this.shared.get(name);
    throw new UnknownSharedModuleError(name, importer);
  }
}
