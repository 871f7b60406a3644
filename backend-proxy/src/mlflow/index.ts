export { MlflowClient, toLoggedModelOrderBy, withModelId } from './client';
export type {
  MlflowCallContext,
  MlflowClientConfig,
  MlflowClientDeps,
  MlflowReadOutcome,
  SearchExperimentsOptions,
  SearchLoggedModelsOptions,
  SearchRunsOptions,
} from './client';
export { MlflowError, isOutage, allowsStale, displayUrl, type MlflowErrorKind } from './errors';
export { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuitBreaker';
export { TtlCache, type CacheResult, type TtlCacheOptions } from './ttlCache';
export { authorizationHeader, type MlflowAuth, type MlflowLogger } from './http';
export type * from './types';
