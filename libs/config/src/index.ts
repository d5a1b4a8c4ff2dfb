export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { secret } from './secret.js';
export { ConfigError, exitOnConfigError } from './config-error.js';
export { maskSecret, maskSecretTail } from './mask-secret.js';
export { isSecretKey } from '@perpetua/telemetry';
