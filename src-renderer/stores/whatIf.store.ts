import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Lang, WhatIf } from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { requestState } from './request.ts';
import { leversOf, withLever, type Amounts, type Levers } from './whatIfLevers.ts';

// Long enough to let a slider glide without a request per pixel, short enough to feel live.
const debounceMs = 150;

/**
 * The what-if simulation of the open client: the amounts being tried, the answer (probability, decision,
 * explanation delta) and the options that would change the decision. Nothing here changes the stored client.
 */
export const useWhatIfStore = defineStore('whatIf', () => {
  const clientId = ref<number | null>(null);
  const lang = ref<Lang>('fr');
  const amounts = shallowRef<Amounts | null>(null);
  const result = requestState<WhatIf>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const stored = computed(() => result.data.value?.stored ?? null);
  const levers = computed<Levers | null>(() => (amounts.value === null ? null : leversOf(amounts.value)));

  function simulate(): Promise<unknown> {
    clearTimeout(timer);
    const id = clientId.value;
    if (id === null) return Promise.resolve(null);
    const edits = amounts.value ?? {};
    return result.run(() =>
      callApi('whatIf', { clientId: id, lang: lang.value, edits, counterfactuals: true }),
    );
  }

  /** Opens the simulation on the stored application; the first answer gives the stored amounts. */
  async function start(id: number, language: Lang): Promise<void> {
    const sameClient = clientId.value === id;
    clientId.value = id;
    lang.value = language;
    if (!sameClient) {
      amounts.value = null;
      result.data.value = null;
    }
    const answer = await simulate();
    if (amounts.value === null && answer !== null) amounts.value = (answer as WhatIf).applied;
  }

  function setLever(lever: keyof Levers, value: number): void {
    if (amounts.value === null || !Number.isFinite(value) || (value <= 0 && lever !== 'downPayment')) return;
    amounts.value = withLever(amounts.value, lever, value);
    clearTimeout(timer);
    timer = setTimeout(() => void simulate(), debounceMs);
  }

  /** Applies a "what would change the decision" option at once; amounts it leaves out stay as they are. */
  function apply(option: Partial<Amounts>): Promise<unknown> {
    const base = amounts.value ?? stored.value;
    if (base === null) return Promise.resolve(null);
    const given = Object.entries(option).filter(
      (entry): entry is [keyof Amounts, number] => entry[1] !== undefined,
    );
    amounts.value = { ...base, ...Object.fromEntries(given) };
    return simulate();
  }

  function reset(): Promise<unknown> {
    if (stored.value === null) return Promise.resolve(null);
    amounts.value = { ...stored.value };
    return simulate();
  }

  return {
    clientId,
    amounts,
    levers,
    stored,
    result: result.data,
    loading: result.loading,
    error: result.error,
    start,
    setLever,
    apply,
    reset,
  };
});
