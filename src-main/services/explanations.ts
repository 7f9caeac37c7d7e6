import type { ApiHandlers, ClientExplanation, Lang } from '../api/contract.ts';
import { requireModel, requireRow, type ServiceContext } from './context.ts';
import type { Scores } from './scoring.ts';

/**
 * getExplanation, and the explanations the other services start from (the what-if's "before", the features that
 * matter to a client for the comparison): the explanation engine of the loaded model, run on the client's
 * feature vector. The last few are kept, since one client file asks for the same explanation several times.
 */

const CACHED_EXPLANATIONS = 32;
/** Features shown by default in a comparison: the client's largest contributions. */
const MATTERING_FEATURES = 6;

export class Explanations {
  private readonly cache = new Map<string, ClientExplanation>();

  constructor(
    private readonly context: ServiceContext,
    private readonly scores: Scores,
  ) {}

  explain(clientId: number, lang: Lang): ClientExplanation {
    requireRow(this.context, clientId);
    const model = requireModel(this.context);
    const key = `${model.version}\u0000${lang}\u0000${clientId}`;
    let explanation = this.cache.get(key);
    if (explanation) {
      this.cache.delete(key);
    } else {
      explanation = { ...model.explainer.explainVector(this.scores.vector(clientId), lang), clientId };
      if (this.cache.size >= CACHED_EXPLANATIONS) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, explanation);
    return explanation;
  }

  /**
   * The client's features of largest contribution to the score among `among`, protected ones left out, largest
   * first.
   */
  mattering(clientId: number, lang: Lang, among: ReadonlySet<string>): string[] {
    return this.explain(clientId, lang)
      .families.flatMap((family) => family.features)
      .filter((feature) => !feature.protected && among.has(feature.name))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, MATTERING_FEATURES)
      .map((feature) => feature.name);
  }
}

export function createExplanationsService(explanations: Explanations): Pick<ApiHandlers, 'getExplanation'> {
  return {
    getExplanation: async ({ clientId, lang }) => explanations.explain(clientId, lang),
  };
}
