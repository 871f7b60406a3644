// Realised and estimated model performance: pure functions, no I/O.
export * from './labels';
export * from './result';
export * from './names';
export * from './confusion';
export * from './rocAuc';
export * from './logLoss';
export * from './calibration';
export * from './regression';
export * from './isotonic';
export * from './cbpeSamplingError';
export * from './needsCalibration';
export * from './cbpe';
export * from './mcNemar';
export * from './positiveScore';
export * from './evaluate';
export * from './summary';
export * from './evaluateSummary';
