/** The realised metrics, by the names the query contract uses (`CLASSIFICATION_METRICS`, `REGRESSION_METRICS`). */
export type ClassificationMetricName = 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'log_loss' | 'ece';
export type RegressionMetricName = 'mae' | 'rmse' | 'mape' | 'r2';
