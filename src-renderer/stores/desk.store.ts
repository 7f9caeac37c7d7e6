import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { ApiOutput, Manager } from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { requestState } from './request.ts';

/** Who acts at this desk: every decision, view and print is recorded in their name. */
export const useDeskStore = defineStore('desk', () => {
  const desk = requestState<ApiOutput<'getDesk'>>();
  const saving = requestState<ApiOutput<'setDesk'>>();

  function load(): Promise<unknown> {
    return desk.run(() => callApi('getDesk', {}));
  }

  async function name(manager: Manager | null): Promise<boolean> {
    const named = await saving.run(() => callApi('setDesk', { manager }));
    if (named !== null) desk.data.value = named;
    return named !== null;
  }

  return {
    manager: computed(() => desk.data.value?.manager ?? null),
    /** A signed-in manager cannot be renamed from the desk. */
    canRename: computed(() => desk.data.value?.mode === 'desk'),
    loaded: computed(() => desk.data.value !== null),
    saveError: saving.error,
    saving: saving.loading,
    load,
    name,
  };
});
