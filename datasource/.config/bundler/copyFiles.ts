// Moved to the shared plugin build (.config/plugin-webpack at the repository root); re-exported for existing imports.
export * from '../../../.config/plugin-webpack/copyFiles';
