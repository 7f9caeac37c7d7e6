import { onBeforeUnmount, onMounted } from 'vue';

/** The app's single-key shortcuts, documented in the shortcuts dialog and the README. */
export const shortcutKeys = ['/', 'p', '?', '1', '2', '3', '4', '5', '6', 's'] as const;
export type ShortcutKey = (typeof shortcutKeys)[number];

function isShortcutKey(key: string): key is ShortcutKey {
  return shortcutKeys.some((shortcut) => shortcut === key);
}

// Typing a "p" into a field must stay a "p": single-key shortcuts apply only outside editable elements.
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** The shortcut a key press means, or null when it is ordinary typing or carries a modifier. */
export function shortcutOf(event: KeyboardEvent): ShortcutKey | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return null;
  if (isEditable(event.target)) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return isShortcutKey(key) ? key : null;
}

/** Calls `handlers[key]` for each shortcut pressed while the calling component is mounted. */
export function useKeyboardShortcuts(handlers: Partial<Record<ShortcutKey, () => void>>): void {
  function onKeydown(event: KeyboardEvent): void {
    const key = shortcutOf(event);
    const handler = key === null ? undefined : handlers[key];
    if (handler === undefined) return;
    event.preventDefault();
    handler();
  }
  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
