/**
 * Characters no imported text may hold: the C0 and C1 controls (NUL, tab, escape...), and the invisible ones that
 * reorder or break what a manager reads (bidirectional embeddings, overrides, isolates and marks, which can make
 * "Dupont" display as another name; line and paragraph separators). A text holding one is rejected, not cleaned:
 * the rejects report shows where, and the source can be corrected.
 */
function describe(code: number): string | undefined {
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return 'a control character';
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
    return 'a bidirectional override';
  if (code === 0x200e || code === 0x200f || code === 0x061c) return 'a bidirectional mark';
  if (code === 0x2028 || code === 0x2029) return 'a line separator';
  return undefined;
}

const codePoint = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why the text cannot be imported ("holds U+202E, a bidirectional override"), or undefined if it can. */
export function forbiddenCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const kind = describe(code);
    if (kind !== undefined) return `holds ${codePoint(code)}, ${kind}`;
  }
  return undefined;
}

/** The text with each forbidden character spelt out (<U+202E>), for the rejects report to quote it safely. */
export function visibleText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += describe(code) === undefined ? text[i] : `<${codePoint(code)}>`;
  }
  return out;
}
