import type { ClientBase } from '../data/clientBase.ts';
import { quoteIdent } from '../data/schema.ts';
import { blocks, featureIndex } from '../features/recipe.ts';
import { assertCurrentFeatures } from '../features/store.ts';
import { histogramEdges, type Edges } from './distribution.ts';

/**
 * The past clients (known outcome) the comparisons are made against, with the feature columns they need in
 * memory as Float32Arrays (one value per past client, NaN = missing), read from the stored feature vectors.
 * Not all 795 × 307,000 values: the columns named at load time (the ones that matter most, and those the
 * similar-clients search matches on) stay for good; any other is read on first use, in one pass over its block,
 * and kept in a bounded least-recently-used cache.
 */

/** Columns beyond the pinned ones kept at once (each is 4 bytes per past client: ~1 MB at 261,000). */
export const CACHED_COLUMNS = 32;

export class PastClients {
  private readonly pinned = new Map<string, Float32Array>();
  private readonly cache = new Map<string, Float32Array>();
  private readonly edgesCache = new Map<string, Edges>();
  private readonly positionById = new Map<number, number>();

  private constructor(
    private readonly db: ClientBase,
    /** SK_ID_CURR of each past client, increasing. */
    readonly ids: Float64Array,
    /** 1 defaulted, 0 repaid. */
    readonly defaulted: Uint8Array,
  ) {
    ids.forEach((id, position) => this.positionById.set(id, position));
  }

  /** Reads the population and the `pinned` columns in one pass; throws StaleFeaturesError without features. */
  static load(db: ClientBase, pinned: readonly string[]): PastClients {
    return db.transaction(() => {
      assertCurrentFeatures(db);
      const rows = db
        .prepare(
          'SELECT SK_ID_CURR, TARGET FROM client_features WHERE TARGET IS NOT NULL ORDER BY SK_ID_CURR',
        )
        .raw(true)
        .all() as [number, number][];
      const past = new PastClients(
        db,
        Float64Array.from(rows, (r) => r[0]),
        Uint8Array.from(rows, (r) => (r[1] === 1 ? 1 : 0)),
      );
      for (const [name, column] of past.read([...new Set(pinned)])) past.pinned.set(name, column);
      return past;
    })();
  }

  get count(): number {
    return this.ids.length;
  }

  /** Position of a past client in the columns; undefined for a client whose outcome is unknown. */
  positionOf(clientId: number): number | undefined {
    return this.positionById.get(clientId);
  }

  /** The columns of these features, in order, reading the missing ones in one pass. */
  columns(names: readonly string[]): Float32Array[] {
    const absent = names.filter((n) => !this.pinned.has(n) && !this.cache.has(n));
    if (absent.length > 0) {
      for (const [name, column] of this.read([...new Set(absent)])) this.cache.set(name, column);
    }
    const out = names.map((name) => {
      const column = this.pinned.get(name) ?? this.cache.get(name)!;
      if (this.cache.has(name)) {
        // Map order is insertion order: re-inserting marks the column as the most recently used.
        this.cache.delete(name);
        this.cache.set(name, column);
      }
      return column;
    });
    for (const name of this.cache.keys()) {
      if (this.cache.size <= CACHED_COLUMNS) break;
      if (!names.includes(name)) this.cache.delete(name);
    }
    return out;
  }

  /** Histogram edges of a feature over all past clients, computed once per feature and bin count. */
  edges(name: string, bins: number): Edges {
    const key = `${bins}\u0000${name}`;
    let edges = this.edgesCache.get(key);
    if (!edges) {
      edges = histogramEdges(this.columns([name])[0]!, bins);
      this.edgesCache.set(key, edges);
    }
    return edges;
  }

  /** One pass over the stored vectors of the blocks holding `names`, keeping those features of past clients. */
  private read(names: readonly string[]): Map<string, Float32Array> {
    const wanted = names.map((name) => {
      const index = featureIndex(name);
      const block = blocks.findIndex((b) => index >= b.start && index < b.end);
      return {
        name,
        block,
        offset: (index - blocks[block]!.start) * 8,
        values: new Float32Array(this.count),
      };
    });
    const blockIds = [...new Set(wanted.map((w) => w.block))];
    const select = this.db
      .prepare(
        `SELECT SK_ID_CURR, ${blockIds.map((b) => quoteIdent(blocks[b]!.name)).join(', ')}
         FROM client_features WHERE TARGET IS NOT NULL ORDER BY SK_ID_CURR`,
      )
      .raw(true);
    const slot = wanted.map((w) => 1 + blockIds.indexOf(w.block));
    for (const row of select.iterate() as Iterable<[number, ...(Buffer | null)[]]>) {
      const position = this.positionById.get(row[0]);
      if (position === undefined) continue;
      wanted.forEach((w, k) => {
        const blob = row[slot[k]!] as Buffer | null;
        w.values[position] = blob === null ? NaN : blob.readDoubleLE(w.offset);
      });
    }
    return new Map(wanted.map((w) => [w.name, w.values]));
  }
}
