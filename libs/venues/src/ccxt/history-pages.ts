/** A venue's paged history (trades, funding) as ccxt reads it: how many rows a page holds and which end comes first. */
export interface HistoryPaging {
  pageSize: number;
  from: 'oldest' | 'newest';
  /** Pages read at most per symbol. */
  maxPages: number;
}

/**
 * Reads one symbol's history from sinceMs, page by page as the venue pages it: forward from the oldest (the next
 * page starts at the newest row's time) or backward from the newest (the next page ends at the oldest row's time,
 * inclusive). Rows repeated across a page edge are the caller's to de-duplicate by id; `take` returns the row's
 * time, or undefined for a row it does not keep.
 */
export async function readHistoryPages(
  sinceMs: number,
  paging: HistoryPaging,
  fetchPage: (since: number, until: number | undefined) => Promise<unknown[]>,
  take: (rows: unknown[]) => Array<number | undefined> | Promise<Array<number | undefined>>,
): Promise<void> {
  let since = sinceMs;
  let until: number | undefined;
  for (let page = 0; page < paging.maxPages; page++) {
    const raw = await fetchPage(since, until);
    let newest = since;
    let oldest = Infinity;
    for (const ts of await take(raw)) {
      if (ts === undefined) continue;
      newest = Math.max(newest, ts);
      oldest = Math.min(oldest, ts);
    }
    if (raw.length < paging.pageSize) return;
    if (paging.from === 'oldest') {
      if (newest <= since) return;
      since = newest;
    } else {
      if (!(oldest < (until ?? Infinity))) return;
      until = oldest;
    }
  }
}
