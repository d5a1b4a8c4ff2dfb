export { isSecretKey } from './secret-key.js';
export { registerSecret, hasRegisteredSecrets, maskRegisteredSecrets, REDACTED, MIN_SECRET_LENGTH } from './secret-registry.js';
export { redactSecretKeys } from './redact-secret-keys.js';
export { createLogger, LOG_FORMAT_ENV, type CreateLoggerOptions, type LogLevel, type Logger } from './logger.js';
export { metricNameProblem, labelNamesProblem, METRIC_PREFIX, RESERVED_LABELS, type MetricKind } from './metric-name.js';
export {
  createMetrics,
  createCounter,
  createGauge,
  createHistogram,
  MetricNameError,
  Registry,
  type CreateMetricsOptions,
} from './metrics.js';
export { startServiceHttp, type ServiceHttp, type ServiceHttpOptions, type Readiness } from './service-http.js';
