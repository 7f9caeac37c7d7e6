/** How many families the waterfall names; the rest are summed into one "other reasons" step. */
export const namedFamilies = 7;

/**
 * The waterfall's steps from family contributions (probability scale): the largest by size, in order, then the
 * remainder as one step, so the bars still add up from the average client to this client.
 */
export function familySteps(
  families: readonly { label: string; contribution: number }[],
  otherLabel: string,
  limit = namedFamilies,
): { label: string; delta: number }[] {
  const sorted = [...families].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const named = sorted.slice(0, limit).map((family) => ({ label: family.label, delta: family.contribution }));
  const rest = sorted.slice(limit).reduce((sum, family) => sum + family.contribution, 0);
  return rest === 0 ? named : [...named, { label: otherLabel, delta: rest }];
}
