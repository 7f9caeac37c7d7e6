/** What the batch and its workers say to each other. */

export interface BlockJob {
  dbPath: string;
  scratchPath: string;
  /** The clients to compute; null for every client. */
  clients: number[] | null;
  cacheKiB: number;
  /** The base's encryption key, which the scratch file gets too (derived features are client data). */
  key: string | undefined;
}

export type BlockRequest = { type: 'block'; block: string } | { type: 'close' };

export type BlockReply =
  | { type: 'ready' }
  | { type: 'done'; block: string; clients: number; ms: number }
  | { type: 'error'; message: string };
