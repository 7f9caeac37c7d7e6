import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';

export type DisplayMode = 'expert' | 'presentation';

// Kept for the browser tab or app window only: a new session starts in expert mode, never facing the client.
const storageKey = 'scoring-desk.display-mode';

function savedMode(): DisplayMode {
  return sessionStorage.getItem(storageKey) === 'presentation' ? 'presentation' : 'expert';
}

/**
 * Expert or presentation mode. Presentation mode is for a screen turned to the client: larger type, plain words,
 * no threshold mechanics, no other clients, no raw feature names. Views read `isPresentation`; the root element
 * carries the `presentation` class for the type size.
 */
export const usePresentationStore = defineStore('presentation', () => {
  const mode = ref<DisplayMode>(savedMode());
  const isPresentation = computed(() => mode.value === 'presentation');

  function setMode(next: DisplayMode): void {
    mode.value = next;
    sessionStorage.setItem(storageKey, next);
  }

  function toggle(): void {
    setMode(isPresentation.value ? 'expert' : 'presentation');
  }

  watchEffect(() => document.documentElement.classList.toggle('presentation', isPresentation.value));

  return { mode, isPresentation, setMode, toggle };
});
