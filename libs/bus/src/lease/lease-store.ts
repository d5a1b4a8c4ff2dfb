/** What a lease needs from a key-value store with revisions (NATS JetStream KV implements it). */
export interface LeaseStore {
  /** Writes the key only if it is absent (or expired/deleted); the new revision, or undefined if someone holds it. */
  create(key: string, holder: string): Promise<number | undefined>;
  /** Writes only if the key is still at `revision`; the new revision, or undefined if it moved or lapsed. */
  update(key: string, holder: string, revision: number): Promise<number | undefined>;
  /** Deletes only if still at `revision` (resigning); no error if it moved. */
  release(key: string, revision: number): Promise<void>;
  /** The current holder and revision, if any. */
  holder(key: string): Promise<{ holder: string; revision: number } | undefined>;
  /** The holders of every live key under `under` (keys `under.…`), e.g. the members of a group. */
  list(under: string): Promise<{ holder: string; revision: number }[]>;
}
