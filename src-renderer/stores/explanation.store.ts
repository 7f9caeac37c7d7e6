import { defineStore } from 'pinia';
import type { ClientExplanation, Lang } from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { answerCache, cached, requestState } from './request.ts';

/** Why the model scored the open client as it did: families, principal reasons, features, data warnings. */
export const useExplanationStore = defineStore('explanation', () => {
  const explanation = requestState<ClientExplanation>();
  const answers = answerCache<ClientExplanation>();

  function load(clientId: number, lang: Lang): Promise<unknown> {
    return explanation.run(
      cached(answers, `${clientId}:${lang}`, () => callApi('getExplanation', { clientId, lang })),
    );
  }

  return { explanation: explanation.data, loading: explanation.loading, error: explanation.error, load };
});
