export { buildApp, type AppDeps } from './server/app';
export { loadConfig, ConfigError, type AppConfig } from './config/config';
