import { maskRegisteredSecrets } from '@perpetua/telemetry';

/**
 * What a command that failed prints last: the error's stack (or message), with
 * every secret the config loader registered masked. The logger masks its own
 * lines; this text goes to stderr around it, and a venue library's error may
 * quote a request or a key.
 */
export function crashText(err: unknown, withStack = true): string {
  const text = err instanceof Error ? (withStack ? (err.stack ?? err.message) : err.message) : String(err);
  return maskRegisteredSecrets(text);
}
