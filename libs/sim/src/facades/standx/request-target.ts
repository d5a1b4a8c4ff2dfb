/**
 * Parses an HTTP request target. `new URL` throws on targets such as `//[`, which Node's
 * HTTP parser lets through; a throw in the REST handler would be a 500 and one in the
 * `upgrade` listener would take the whole process down, so both ask here instead.
 */
const BASE = 'http://standx.sim';

/** The parsed target, or undefined when it is not a valid URL path. */
export function parseRequestTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', BASE);
  } catch {
    return undefined;
  }
}
