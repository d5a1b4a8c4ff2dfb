/** An error as a short line for a report or a synthetic order event. */
export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 400);
}
