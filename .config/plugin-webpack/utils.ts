import fs from 'fs';
import path from 'path';
import { DIST_DIR, SOURCE_DIR } from './constants';

/** What the build needs from src/plugin.json. */
export interface PluginJson {
  id: string;
  type: string;
  /** Logos and screenshots named in `info`, relative to src/; copied next to module.js. */
  images: string[];
}

export interface PackageJson {
  name: string;
  version: string;
}

const root = process.cwd();

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads `src/plugin.json`; fails the build early when the fields the bundle depends on are missing. */
export function getPluginJson(): PluginJson {
  const file = path.resolve(root, SOURCE_DIR, 'plugin.json');
  const json = readJson(file);
  if (!isObject(json) || typeof json.id !== 'string' || typeof json.type !== 'string') {
    throw new Error(`${file}: needs string "id" and "type"`);
  }
  const info = isObject(json.info) ? json.info : {};
  const logos = isObject(info.logos) ? info.logos : {};
  const screenshots = Array.isArray(info.screenshots) ? info.screenshots : [];
  const images = [logos.small, logos.large, ...screenshots.map((s) => (isObject(s) ? s.path : undefined))].filter(
    (p): p is string => typeof p === 'string' && p !== ''
  );
  return { id: json.id, type: json.type, images: [...new Set(images)] };
}

export function getPackageJson(): PackageJson {
  const json = readJson(path.resolve(root, 'package.json'));
  if (!isObject(json) || typeof json.name !== 'string' || typeof json.version !== 'string') {
    throw new Error('package.json: needs string "name" and "version"');
  }
  return { name: json.name, version: json.version };
}

/** Grafana loads `<plugin dir>/module.js`; one plugin per package here, so one entry. */
export function getEntry(): string {
  for (const ext of ['ts', 'tsx']) {
    const file = path.resolve(root, SOURCE_DIR, `module.${ext}`);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`no ${SOURCE_DIR}/module.ts(x) in ${root}`);
}

export const distDir = (): string => path.resolve(root, DIST_DIR);
export const sourceDir = (): string => path.resolve(root, SOURCE_DIR);

/** `%VERSION%`, `%TODAY%` and `%PLUGIN_ID%` as create-plugin fills them in plugin.json and README.md. */
export function fillPlaceholders(text: string, values: { version: string; today: string; pluginId: string }): string {
  return text
    .replace(/%VERSION%/g, values.version)
    .replace(/%TODAY%/g, values.today)
    .replace(/%PLUGIN_ID%/g, values.pluginId);
}
