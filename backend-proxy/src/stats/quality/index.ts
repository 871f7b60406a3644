// Data quality: rates from the store's per-feature counters, freshness. Pure, no I/O.
export * from './qualityRates';
