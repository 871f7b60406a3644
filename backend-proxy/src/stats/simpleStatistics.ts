import { createRequire } from 'node:module';
import type * as SimpleStatistics from 'simple-statistics' with { 'resolution-mode': 'import' };

// simple-statistics ships ESM typings, which a CommonJS (`module: node16`) file may not import directly; its
// package also exports a CommonJS build, so load that at run time and keep the published types.
const load = createRequire(__filename);

/** simple-statistics (CommonJS build) with its own type declarations. */
export const ss = load('simple-statistics') as typeof SimpleStatistics;
