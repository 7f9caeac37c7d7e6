// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { fakeBridge } from './fixtures.ts';

beforeEach(() => {
  Object.defineProperty(window, 'scoringDesk', { configurable: true, value: fakeBridge() });
  sessionStorage.clear();
});

afterEach(() => {
  vi.resetModules();
  delete (window as { scoringDesk?: unknown }).scoringDesk;
});

async function mountClientFile(presentation: boolean) {
  const { i18n } = await import('../../src-renderer/i18n/index.ts');
  const routes = (await import('../../src-renderer/router.ts')).router.options.routes;
  const { usePresentationStore } = await import('../../src-renderer/stores/presentation.store.ts');
  const pinia = createPinia();
  setActivePinia(pinia);
  usePresentationStore().setMode(presentation ? 'presentation' : 'expert');
  const router = createRouter({ history: createMemoryHistory(), routes });
  await router.push('/clients/100002');
  const wrapper = mount(RouterView, { global: { plugins: [pinia, i18n, router] } });
  await flushPromises();
  await flushPromises();
  return wrapper;
}

describe('presentation mode', () => {
  it('shows the limit, the margin and the comparison in expert mode', async () => {
    const wrapper = await mountClientFile(false);
    expect(wrapper.find('[data-margin]').text()).toContain('2,4 points au-dessus du seuil');
    expect(wrapper.find('.ui-gauge__threshold').exists()).toBe(true);
    expect(wrapper.text()).toContain('Comparaison');
    expect(wrapper.text()).toContain('Dossier proche du seuil');
  });

  it('hides the threshold mechanics and the other clients, keeps the reasons in plain words', async () => {
    const wrapper = await mountClientFile(true);
    expect(wrapper.find('[data-margin]').exists()).toBe(false);
    expect(wrapper.find('.ui-gauge__threshold').exists()).toBe(false);
    expect(wrapper.text()).not.toContain('seuil');
    expect(wrapper.text()).not.toContain('Comparaison');
    expect(wrapper.text()).toContain('Vos scores externes sont bas.');
    expect(wrapper.text()).toContain('Sur 100 clients au profil comparable, environ 13');
    expect(document.documentElement.classList.contains('presentation')).toBe(true);
  });
});
