import type { ApiHandlers, Comparison, ComparisonGroup, Lang, Segment } from '../api/contract.ts';
import { conflict, notFound } from '../api/apiFailure.ts';
import { catalogue } from '../features/catalogue.ts';
import { featureIndex, featureNames } from '../features/recipe.ts';
import { StaleFeaturesError } from '../features/store.ts';
import { requireRow, type ServiceContext } from './context.ts';
import { groupDistribution, median, percentileIn, type GroupDistribution } from './distribution.ts';
import {
  fitStandardiser,
  nearestRows,
  standardise,
  standardisedMatrix,
  type Standardiser,
  type Transform,
} from './nearestNeighbours.ts';
import { PastClients } from './pastClients.ts';
import type { Scores } from './scoring.ts';
import { ageBands, contractTypes, describeSegment, incomeBands, segmentOf } from './segments.ts';
import { formatValue } from './valueFormat.ts';

/**
 * compare: the client against past clients with a known outcome (all of them, the k most similar, or a segment),
 * only ever as aggregates: counts, shares, medians and histograms by outcome, never another client's row.
 *
 * "Similar" is exact k-nearest neighbours on standardised descriptive features (SIMILARITY_FEATURES: who the
 * client is, what they ask for, their credit history), by a linear scan over the past clients in memory.
 */

/** What similarity is measured on: the application and the history, never a protected attribute. */
export const SIMILARITY_FEATURES: readonly { name: string; transform: Transform }[] = [
  { name: 'DAYS_BIRTH', transform: 'none' },
  { name: 'DAYS_EMPLOYED', transform: 'none' },
  { name: 'AMT_INCOME_TOTAL', transform: 'log' },
  { name: 'AMT_CREDIT', transform: 'log' },
  { name: 'AMT_ANNUITY', transform: 'log' },
  { name: 'AMT_GOODS_PRICE', transform: 'log' },
  { name: 'CNT_FAM_MEMBERS', transform: 'none' },
  { name: 'REGION_RATING_CLIENT', transform: 'none' },
  { name: 'NAME_CONTRACT_TYPE_Cash loans', transform: 'none' },
  { name: 'EXT_SOURCE_1', transform: 'none' },
  { name: 'EXT_SOURCE_2', transform: 'none' },
  { name: 'EXT_SOURCE_3', transform: 'none' },
  { name: 'BURO_CREDIT_ACTIVE_Active_MEAN', transform: 'none' },
  { name: 'BURO_AMT_CREDIT_SUM_DEBT_SUM', transform: 'log' },
  { name: 'PREV_NAME_CONTRACT_STATUS_Refused_MEAN', transform: 'none' },
  { name: 'INSTAL_DPD_MEAN', transform: 'log' },
];

/** Features shown when the request names none and no explanation says which matter: the loan and the client. */
const FALLBACK_FEATURES = [
  'EXT_SOURCE_2',
  'EXT_SOURCE_3',
  'AMT_CREDIT',
  'AMT_ANNUITY',
  'DAYS_BIRTH',
  'AMT_INCOME_TOTAL',
];

const catalogueByName = new Map(catalogue.features.map((f) => [f.name, f]));

const sentences = {
  fr: (k: number, repaid: number) =>
    `Sur ${k} clients passés aux profils proches, ${repaid} ont remboursé leur crédit.`,
  en: (k: number, repaid: number) => `Of ${k} similar past clients, ${repaid} repaid their credit.`,
};
const groupNames = {
  fr: { all: 'Tous les clients passés', similar: 'Clients passés aux profils proches' },
  en: { all: 'All past clients', similar: 'Similar past clients' },
};

/** Distributions kept for groups that do not depend on the client (all past clients, a segment). */
const CACHED_DISTRIBUTIONS = 512;

interface Neighbourhood {
  standardiser: Standardiser;
  matrix: Float32Array;
}

export class Comparisons {
  private past: PastClients | undefined;
  private neighbourhood: Neighbourhood | undefined;
  /** For each past client, its row in the client index (for the segment codes). */
  private indexRows: Uint32Array | undefined;
  /**
   * A group's distribution of a feature, by group, feature and bins, when the group is the same for every client
   * (all past clients or a segment, the client not among them): histograms and medians are computed once, the
   * client's percentile each time. Past clients do not change while the services run.
   */
  private readonly distributions = new Map<string, GroupDistribution>();

  constructor(
    private readonly context: ServiceContext,
    private readonly scores: Scores,
    /** The features that matter most to a client's score among some, most first (from its explanation). */
    private readonly mattering: (clientId: number, lang: Lang, among: ReadonlySet<string>) => string[],
    /** Columns to keep in memory for good besides the similarity features (the model's most important). */
    private readonly pinned: () => readonly string[],
  ) {}

  /** Loads the past clients and the similarity matrix now rather than at the first comparison. */
  warmUp(): void {
    this.population();
  }

  private population(): { past: PastClients; neighbourhood: Neighbourhood; indexRows: Uint32Array } {
    if (!this.past || !this.neighbourhood || !this.indexRows) {
      let past: PastClients;
      try {
        past = PastClients.load(this.context.db, [
          ...SIMILARITY_FEATURES.map((f) => f.name),
          ...this.pinned(),
        ]);
      } catch (error) {
        if (error instanceof StaleFeaturesError)
          throw conflict(`comparisons need the stored features: ${error.message}`);
        throw error;
      }
      const columns = past.columns(SIMILARITY_FEATURES.map((f) => f.name));
      const standardiser = fitStandardiser(
        columns,
        SIMILARITY_FEATURES.map((f) => f.transform),
      );
      this.neighbourhood = { standardiser, matrix: standardisedMatrix(columns, past.count, standardiser) };
      this.indexRows = Uint32Array.from(past.ids, (id) => this.context.index.rowOf(id) ?? 0);
      this.past = past;
    }
    return { past: this.past, neighbourhood: this.neighbourhood, indexRows: this.indexRows };
  }

  async compare(
    clientId: number,
    lang: Lang,
    group: ComparisonGroup,
    requested: string[] | undefined,
    bins: number,
  ): Promise<Comparison> {
    const row = requireRow(this.context, clientId);
    for (const name of requested ?? []) {
      if (!catalogueByName.has(name)) throw notFound(`features: no feature named ${name} in the catalogue`);
    }
    const { past, neighbourhood, indexRows } = this.population();
    const { index } = this.context;
    const vector = this.scores.vector(clientId);
    const own = past.positionOf(clientId) ?? -1;
    const clientSegment = segmentOf({
      contractType: index.contractType[row]!,
      ageBand: index.ageBand[row]!,
      incomeBand: index.incomeBand[row]!,
    });

    let members: Uint32Array;
    /** Set when the group does not depend on the client: its distributions can be kept. */
    let groupKey: string | undefined;
    let segment: Segment | null = null;
    let similar: Comparison['similar'] = null;
    let description: string;
    if (group.kind === 'similar') {
      const query = Float32Array.from(SIMILARITY_FEATURES, (f, k) =>
        standardise(vector[featureIndex(f.name)]!, k, neighbourhood.standardiser),
      );
      members = nearestRows(neighbourhood.matrix, SIMILARITY_FEATURES.length, query, group.k, own).rows;
      description = groupNames[lang].similar;
    } else if (group.kind === 'segment') {
      segment = {
        contractType: group.contractType ?? null,
        ageBand: group.ageBand ?? null,
        incomeBand: group.incomeBand ?? null,
      };
      const codes = {
        contractType: segment.contractType === null ? -1 : contractTypes.indexOf(segment.contractType),
        ageBand: segment.ageBand === null ? -1 : ageBands.indexOf(segment.ageBand),
        incomeBand: segment.incomeBand === null ? -1 : incomeBands.indexOf(segment.incomeBand),
      };
      const chosen: number[] = [];
      for (let p = 0; p < past.count; p++) {
        if (p === own) continue;
        const r = indexRows[p]!;
        if (codes.contractType >= 0 && index.contractType[r] !== codes.contractType) continue;
        if (codes.ageBand >= 0 && index.ageBand[r] !== codes.ageBand) continue;
        if (codes.incomeBand >= 0 && index.incomeBand[r] !== codes.incomeBand) continue;
        chosen.push(p);
      }
      members = Uint32Array.from(chosen);
      description = describeSegment(segment, lang);
      if (own < 0) groupKey = `segment:${codes.contractType}:${codes.ageBand}:${codes.incomeBand}`;
    } else {
      members = Uint32Array.from({ length: past.count - (own >= 0 ? 1 : 0) }, (_, i) =>
        own >= 0 && i >= own ? i + 1 : i,
      );
      description = groupNames[lang].all;
      if (own < 0) groupKey = 'all';
    }

    let defaulted = 0;
    for (const p of members) defaulted += past.defaulted[p]!;
    const repaid = members.length - defaulted;

    if (group.kind === 'similar') {
      const columns = past.columns(SIMILARITY_FEATURES.map((f) => f.name));
      similar = {
        k: members.length,
        sentence: sentences[lang](members.length, repaid),
        matchedOn: SIMILARITY_FEATURES.map((f) => ({
          name: f.name,
          label: catalogueByName.get(f.name)!.description[lang],
        })),
        medians: SIMILARITY_FEATURES.map((f, k) => {
          const values = new Float64Array(members.length);
          let n = 0;
          for (const p of members) {
            const v = columns[k]![p]!;
            if (!Number.isNaN(v)) values[n++] = v;
          }
          const value = median(values, n);
          const entry = catalogueByName.get(f.name)!;
          return {
            name: f.name,
            label: entry.description[lang],
            value,
            formattedValue: formatValue(value, entry.format, entry.unit, lang),
          };
        }),
      };
    }

    const names = requested ?? this.defaultFeatures(clientId, lang);
    const columns = past.columns(names);
    const features = names.map((name, k) => {
      const entry = catalogueByName.get(name)!;
      const raw = vector[featureIndex(name)]!;
      const clientValue = Number.isNaN(raw) ? null : raw;
      const edges = past.edges(name, bins).edges;
      const distribution = this.distribution(groupKey, name, bins, () =>
        groupDistribution(columns[k]!, past.defaulted, members, edges),
      );
      return {
        name,
        label: entry.description[lang],
        unit: entry.unit,
        format: entry.format,
        clientValue,
        formattedClientValue: formatValue(clientValue, entry.format, entry.unit, lang),
        percentile: percentileIn(columns[k]!, members, clientValue),
        median: distribution.median,
        histogram: {
          edges,
          repaid: distribution.repaid,
          defaulted: distribution.defaulted,
          missing: distribution.missing,
        },
      };
    });

    return {
      clientId,
      group: {
        kind: group.kind,
        description,
        size: members.length,
        repaid,
        defaulted,
        defaultRate: members.length > 0 ? defaulted / members.length : null,
        segment,
      },
      clientSegment,
      similar,
      features,
    };
  }

  /** The group's distribution of a feature, kept when the group is the same for every client. */
  private distribution(
    groupKey: string | undefined,
    name: string,
    bins: number,
    compute: () => GroupDistribution,
  ): GroupDistribution {
    if (groupKey === undefined) return compute();
    const key = `${groupKey}:${name}:${bins}`;
    const kept = this.distributions.get(key);
    if (kept) {
      this.distributions.delete(key);
      this.distributions.set(key, kept);
      return kept;
    }
    const computed = compute();
    this.distributions.set(key, computed);
    if (this.distributions.size > CACHED_DISTRIBUTIONS)
      this.distributions.delete(this.distributions.keys().next().value!);
    return computed;
  }

  /**
   * The features that matter most to the client among those kept in memory (the model's most important and the
   * similarity ones), so that a default comparison never waits for a column to be read.
   */
  private defaultFeatures(clientId: number, lang: Lang): string[] {
    const inMemory = new Set([...SIMILARITY_FEATURES.map((f) => f.name), ...this.pinned()]);
    const mattering = this.context.model ? this.mattering(clientId, lang, inMemory) : [];
    const names = mattering.length > 0 ? mattering : FALLBACK_FEATURES;
    return names.filter((n) => featureNames.includes(n));
  }
}

export function createComparisonService(comparisons: Comparisons): Pick<ApiHandlers, 'compare'> {
  return {
    compare: ({ clientId, lang, group, features, bins }) =>
      comparisons.compare(clientId, lang, group, features, bins),
  };
}
