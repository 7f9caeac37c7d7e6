// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { shortcutOf } from '../../../src-renderer/composables/useKeyboardShortcuts.ts';

function press(key: string, target: HTMLElement, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, ...init });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}

describe('shortcutOf', () => {
  it('reads single keys outside editable elements', () => {
    const body = document.body;
    expect(shortcutOf(press('/', body))).toBe('/');
    expect(shortcutOf(press('P', body))).toBe('p');
    expect(shortcutOf(press('3', body))).toBe('3');
    expect(shortcutOf(press('x', body))).toBeNull();
  });

  it('leaves typing alone: text fields, text areas, selects, and keys with a modifier', () => {
    const input = document.createElement('input');
    expect(shortcutOf(press('p', input))).toBeNull();
    expect(shortcutOf(press('p', document.createElement('textarea')))).toBeNull();
    expect(shortcutOf(press('p', document.createElement('select')))).toBeNull();
    expect(shortcutOf(press('p', document.body, { ctrlKey: true }))).toBeNull();
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(shortcutOf(press('p', checkbox))).toBe('p');
  });
});
