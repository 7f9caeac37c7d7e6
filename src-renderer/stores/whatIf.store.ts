import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Lang, OfferEdits, WhatIf } from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { requestState } from './request.ts';
import { editsOf, leversOf, withLever, type LeverName, type Levers } from './whatIfLevers.ts';

// Long enough to let a slider glide without a request per pixel, short enough to feel live.
const debounceMs = 150;

/**
 * The what-if simulation of the open client: the levers being tried, the offer they make (amount, term, payment)
 * with its probability, decision and explanation delta, and the options that would change the decision. That
 * offer is the one the manager decides on (Decision tab). Nothing here changes the stored client.
 */
export const useWhatIfStore = defineStore('whatIf', () => {
  const clientId = ref<number | null>(null);
  const lang = ref<Lang>('fr');
  const levers = shallowRef<Levers | null>(null);
  const result = requestState<WhatIf>();
  /** The edits `result` was worked out from: what a decision on this offer sends back. */
  const resultEdits = shallowRef<OfferEdits>({});
  let timer: ReturnType<typeof setTimeout> | undefined;

  const stored = computed(() => result.data.value?.stored ?? null);
  /** The offer under discussion, as the API last worked it out. */
  const offer = computed(() => result.data.value?.applied ?? null);
  /** The model's opinion on that offer. */
  const opinion = computed(() => result.data.value?.after ?? null);
  /** A slider moved and its offer not worked out yet: the offer under discussion is about to change. */
  const settling = ref(false);

  async function simulate(edits: OfferEdits): Promise<WhatIf | null> {
    clearTimeout(timer);
    settling.value = false;
    const id = clientId.value;
    if (id === null) return null;
    const answer = await result.run(() =>
      callApi('whatIf', { clientId: id, lang: lang.value, edits, counterfactuals: true }),
    );
    if (answer !== null && answer === result.data.value) resultEdits.value = edits;
    return answer;
  }

  function currentEdits(): OfferEdits {
    return levers.value === null || stored.value === null ? {} : editsOf(levers.value, stored.value);
  }

  /** Opens the simulation on the stored application (or goes on with the offer being tried, same client). */
  async function start(id: number, language: Lang): Promise<void> {
    const sameClient = clientId.value === id;
    clientId.value = id;
    lang.value = language;
    if (!sameClient) {
      levers.value = null;
      result.data.value = null;
      resultEdits.value = {};
    }
    const answer = await simulate(currentEdits());
    if (levers.value === null && answer !== null) levers.value = leversOf(answer.applied);
  }

  function setLever(lever: LeverName, value: number): void {
    if (levers.value === null || !Number.isFinite(value) || (value <= 0 && lever !== 'downPayment')) return;
    const next = withLever(levers.value, lever, value);
    if (next.amount <= 0) return;
    levers.value = next;
    clearTimeout(timer);
    settling.value = true;
    timer = setTimeout(() => {
      settling.value = false;
      void simulate(currentEdits());
    }, debounceMs);
  }

  /** Applies a "what would change the decision" option at once: its amounts, then the levers they make. */
  async function apply(option: OfferEdits): Promise<void> {
    const answer = await simulate(option);
    if (answer !== null) levers.value = leversOf(answer.applied);
  }

  async function reset(): Promise<void> {
    const answer = await simulate({});
    if (answer !== null) levers.value = leversOf(answer.applied);
  }

  return {
    clientId,
    levers,
    stored,
    offer,
    opinion,
    edits: resultEdits,
    result: result.data,
    loading: computed(() => result.loading.value || settling.value),
    error: result.error,
    start,
    setLever,
    apply,
    reset,
  };
});
