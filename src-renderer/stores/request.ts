import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { ApiError } from '../../src-main/api/contract.ts';
import { apiErrorOf } from '../api/client.ts';

export interface RequestState<T> {
  data: ShallowRef<T | null>;
  loading: Ref<boolean>;
  error: Ref<ApiError | null>;
  /** Runs `load`; only the latest run's answer is kept, so a slow stale answer never overwrites a newer one. */
  run: (load: () => Promise<T>) => Promise<T | null>;
}

/** The loading / error / data triple every store keeps per request, with last-call-wins ordering. */
export function requestState<T>(): RequestState<T> {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  let latest = 0;

  async function run(load: () => Promise<T>): Promise<T | null> {
    const ticket = ++latest;
    loading.value = true;
    error.value = null;
    try {
      const value = await load();
      if (ticket === latest) data.value = value;
      return value;
    } catch (caught) {
      if (ticket === latest) error.value = apiErrorOf(caught);
      return null;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  return { data, loading, error, run };
}

/**
 * A per-key cache of answers, so that going back to a client or a language already seen is instant. It holds the
 * promise, so a second request for the same key while the first is in flight shares it; a failure is forgotten.
 */
export function answerCache<T>(capacity = 50): {
  get: (key: string) => Promise<T> | undefined;
  set: (key: string, value: Promise<T>) => void;
  delete: (key: string) => void;
} {
  const entries = new Map<string, Promise<T>>();
  return {
    get: (key) => entries.get(key),
    set: (key, value) => {
      entries.delete(key);
      entries.set(key, value);
      // Oldest first in a Map: drop from the front once full.
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    },
    delete: (key) => entries.delete(key),
  };
}

/** Loads through the cache: the cached (or in-flight) answer when there is one, else `load`'s, remembered. */
export function cached<T>(
  cache: ReturnType<typeof answerCache<T>>,
  key: string,
  load: () => Promise<T>,
): () => Promise<T> {
  return () => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const answer = load();
    cache.set(key, answer);
    answer.catch(() => cache.delete(key));
    return answer;
  };
}
