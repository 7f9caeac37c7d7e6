import type { ApiHandlers } from '../api/contract.ts';
import { catalogue } from '../features/catalogue.ts';
import { requireModel, type ServiceContext } from './context.ts';

/**
 * getModelInfo: the loaded model's version, threshold and model card (methodology, metrics, cost curve,
 * calibration, fairness, as `scoring-desk train` wrote it), with its global importance labelled from the
 * catalogue.
 */

const catalogueByName = new Map(catalogue.features.map((f) => [f.name, f]));

export function createModelInfoService(context: ServiceContext): Pick<ApiHandlers, 'getModelInfo'> {
  return {
    async getModelInfo({ lang }) {
      const model = requireModel(context);
      const importance = (model.card?.importance.top ?? []).map((entry) => ({
        name: entry.feature,
        label: catalogueByName.get(entry.feature)?.description[lang] ?? entry.feature,
        family: entry.family,
        gain: entry.gain,
        share: entry.share,
      }));
      return {
        modelVersion: model.version,
        threshold: model.threshold,
        createdAt: model.createdAt,
        importance,
        card: model.card,
      };
    },
  };
}
