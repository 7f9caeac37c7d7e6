import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ClientFile, Field, Lang, Score } from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { answerCache, cached, requestState } from './request.ts';

/** A field of the application found by its Kaggle name across the groups. */
export function findField(file: ClientFile, name: string): Field | undefined {
  for (const group of file.groups) {
    const field = group.fields.find((candidate) => candidate.name === name);
    if (field !== undefined) return field;
  }
  return undefined;
}

/** The client currently open: the file (application, history, timelines) and the score, in the UI language. */
export const useClientFileStore = defineStore('clientFile', () => {
  const clientId = ref<number | null>(null);
  const file = requestState<ClientFile>();
  const score = requestState<Score>();
  const files = answerCache<ClientFile>();
  const scores = answerCache<Score>();
  const viewsLogged = new Set<number>();

  async function load(id: number, lang: Lang): Promise<void> {
    clientId.value = id;
    const key = `${id}:${lang}`;
    await Promise.all([
      file.run(cached(files, key, () => callApi('getClientFile', { clientId: id, lang }))),
      score.run(cached(scores, key, () => callApi('getScore', { clientId: id, lang }))),
    ]);
    // The audit log records that the file was opened, once per client and session; a failed log is not the
    // manager's problem to solve, so it does not block the screen.
    if (!viewsLogged.has(id) && file.error.value === null) {
      viewsLogged.add(id);
      void callApi('logEvent', { clientId: id, kind: 'view', lang, view: 'client-file' }).catch(() =>
        viewsLogged.delete(id),
      );
    }
  }

  const name = computed(() => {
    const identity = file.data.value?.identity;
    return identity ? `${identity.firstName} ${identity.lastName}` : null;
  });

  return {
    clientId,
    file: file.data,
    score: score.data,
    name,
    loading: computed(() => file.loading.value || score.loading.value),
    error: computed(() => file.error.value ?? score.error.value),
    load,
  };
});
