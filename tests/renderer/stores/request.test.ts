// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { answerCache, cached, requestState } from '../../../src-renderer/stores/request.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('requestState', () => {
  it('keeps the latest answer even when an older one arrives after it', async () => {
    const state = requestState<string>();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = state.run(() => slow.promise);
    const second = state.run(() => fast.promise);
    fast.resolve('new');
    await second;
    slow.resolve('stale');
    await first;
    expect(state.data.value).toBe('new');
    expect(state.loading.value).toBe(false);
  });

  it("turns a failure into the contract's error and keeps the previous data", async () => {
    const state = requestState<string>();
    await state.run(async () => 'kept');
    await state.run(async () => {
      throw new Error('boom');
    });
    expect(state.data.value).toBe('kept');
    expect(state.error.value).toEqual({ code: 'internal', message: 'boom' });
  });
});

describe('answerCache', () => {
  it('answers from the cache the second time and forgets the oldest entry when full', async () => {
    const cache = answerCache<number>(2);
    let calls = 0;
    const load = async () => ++calls;
    expect(await cached(cache, 'a', load)()).toBe(1);
    expect(await cached(cache, 'a', load)()).toBe(1);
    await cached(cache, 'b', load)();
    await cached(cache, 'c', load)();
    expect(cache.get('a')).toBeUndefined();
    await expect(cache.get('c')).resolves.toBe(3);
  });

  it('shares a request in flight and forgets a failed one', async () => {
    const cache = answerCache<number>();
    const pending = deferred<number>();
    let calls = 0;
    const first = cached(cache, 'k', () => (calls++, pending.promise))();
    const second = cached(cache, 'k', () => (calls++, pending.promise))();
    pending.resolve(7);
    await expect(Promise.all([first, second])).resolves.toEqual([7, 7]);
    expect(calls).toBe(1);
    const failing = cached(cache, 'bad', () => Promise.reject(new Error('down')))();
    await expect(failing).rejects.toThrow('down');
    expect(cache.get('bad')).toBeUndefined();
  });
});
