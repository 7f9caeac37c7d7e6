import { defineStore } from 'pinia';
import type { ApiOutput, Lang, ModelInfo } from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { answerCache, cached, requestState } from './request.ts';

/** The loaded model (card, metrics, importance) and the application's status (versions, counts). */
export const useModelStore = defineStore('model', () => {
  const info = requestState<ModelInfo>();
  const status = requestState<ApiOutput<'getStatus'>>();
  const answers = answerCache<ModelInfo>();

  function loadInfo(lang: Lang): Promise<unknown> {
    return info.run(cached(answers, lang, () => callApi('getModelInfo', { lang })));
  }

  function loadStatus(): Promise<unknown> {
    return status.run(() => callApi('getStatus', {}));
  }

  return {
    info: info.data,
    loading: info.loading,
    error: info.error,
    status: status.data,
    statusError: status.error,
    loadInfo,
    loadStatus,
  };
});
