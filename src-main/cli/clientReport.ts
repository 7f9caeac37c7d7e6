import type { ClientExplanation, CounterfactualResult } from '../explain/clientExplanation.ts';
import { fill, wording } from '../explain/explanationWording.ts';
import { formatNumber, formatPercent } from '../explain/formatValue.ts';

/** Families moving the probability by less than this (a twentieth of a point) are left out of the list. */
const SHOWN_POINTS = 0.0005;

/** One client's explanation and counterfactuals as terminal text, in the explanation's language. */
export function formatClientReport(explanation: ClientExplanation, options: CounterfactualResult): string {
  const { lang } = explanation;
  const say = (key: keyof typeof wording.report, values: Record<string, string> = {}) =>
    fill(wording.report[key][lang], values);
  const percent = (p: number) => formatPercent(p, lang, 1);
  const colon = wording.words.colon[lang];
  const lines: string[] = [];
  const section = (title: string, items: string[], bullet = '-') => {
    lines.push('', `${title}${colon}`);
    if (items.length === 0) lines.push(`  ${say('none')}`);
    items.forEach((item, i) => lines.push(`  ${bullet === '#' ? `${i + 1}.` : bullet} ${item}`));
  };

  lines.push(say('client', { client: String(explanation.clientId), model: explanation.modelVersion }));
  const decision =
    wording.words[explanation.decision][lang] + (explanation.borderline ? ` (${say('borderline')})` : '');
  lines.push(
    say('probability', {
      probability: percent(explanation.probability),
      threshold: percent(explanation.threshold),
      decision,
    }),
  );
  lines.push(say('base', { probability: percent(explanation.baseProbability) }));
  section(
    say('reasons'),
    explanation.principalReasons.map((r) => r.text),
    '#',
  );
  section(
    say('favourable'),
    explanation.favourableReasons.map((r) => r.text),
  );
  const width = Math.max(...explanation.families.map((f) => f.label.length));
  section(
    say('families'),
    explanation.families
      .filter((f) => Math.abs(f.contribution) >= SHOWN_POINTS)
      .map((f) => {
        const points = formatNumber(f.contribution * 100, lang, 1);
        return `${f.label.padEnd(width)}  ${say('points', { points: f.contribution > 0 ? `+${points}` : points })}`;
      }),
  );
  if (explanation.warnings.length > 0)
    section(
      say('warnings'),
      explanation.warnings.map((w) => w.text),
      '!',
    );
  lines.push('', `${say('options')}${colon}`, `  ${options.summary}`);
  for (const option of options.options) lines.push(`  - ${option.text}`);
  lines.push('', explanation.method.notice);
  return lines.join('\n') + '\n';
}
