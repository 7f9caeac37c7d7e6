import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { ApiInput, ApiOutput, DecisionRecord } from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { requestState } from './request.ts';

/** The open client's decision record: recorded decisions, views and prints, and recording a new decision. */
export const useDecisionStore = defineStore('decision', () => {
  const history = requestState<ApiOutput<'getClientHistory'>>();
  const saving = requestState<DecisionRecord>();

  function load(clientId: number): Promise<unknown> {
    return history.run(() => callApi('getClientHistory', { clientId }));
  }

  async function record(input: ApiInput<'recordDecision'>): Promise<DecisionRecord | null> {
    const saved = await saving.run(() => callApi('recordDecision', input));
    if (saved !== null) await load(input.clientId);
    return saved;
  }

  /** The decision in force: the latest recorded one (ids grow with time). */
  const latest = computed(() =>
    (history.data.value?.decisions ?? []).reduce<DecisionRecord | null>(
      (newest, decision) => (newest === null || decision.id > newest.id ? decision : newest),
      null,
    ),
  );

  return {
    history: history.data,
    loading: history.loading,
    error: history.error,
    saving: saving.loading,
    saveError: saving.error,
    latest,
    load,
    record,
  };
});
