import { describe, expect, it } from 'vitest';
import en from '../../src-renderer/i18n/en.json';
import fr from '../../src-renderer/i18n/fr.json';

/** Every message as `dotted.key → value`, so that two files compare key by key. */
function flatten(messages: object, prefix = ''): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix + key;
    if (typeof value === 'object' && value !== null) {
      for (const [inner, leaf] of flatten(value, `${path}.`)) result.set(inner, leaf);
    } else {
      result.set(path, value);
    }
  }
  return result;
}

/** The named placeholders of a message, e.g. `{version}`. */
function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\s*(\w+)\s*\}/g)].map((match) => match[1] ?? '').sort();
}

const catalogues = { fr: flatten(fr), en: flatten(en) };

describe('renderer messages', () => {
  it('has the same keys in French and English', () => {
    expect([...catalogues.en.keys()].sort()).toEqual([...catalogues.fr.keys()].sort());
  });

  it.each(Object.entries(catalogues))('has a non-empty text for every %s key', (_locale, catalogue) => {
    const notText = [...catalogue].filter(([, value]) => typeof value !== 'string' || value.trim() === '');
    expect(notText.map(([key]) => key)).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, message] of catalogues.fr) {
      expect(placeholders(String(catalogues.en.get(key))), key).toEqual(placeholders(String(message)));
    }
  });
});
