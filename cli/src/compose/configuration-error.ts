/** A configuration that loads but cannot run (a venue not configured, a symbol not listed): exit code 2. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}
