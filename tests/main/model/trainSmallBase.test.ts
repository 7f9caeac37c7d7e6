import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openClientBase } from '../../../src-main/data/clientBase.ts';
import { computeFeatures } from '../../../src-main/features/batch.ts';
import { MODEL_CARD_FILE, parseModelCard } from '../../../src-main/model/modelCard.ts';
import { runCli } from '../cli/support/runCli.ts';
import { sampleBase } from '../features/helpers.ts';

/**
 * `scoring-desk train` on the real Kaggle sample (1,000 labelled applicants, 70 defaults): the kernel's
 * min_child_weight cannot split it, which the command says in words, and the settings the README gives for a small
 * base train it.
 */

let base: string;
const FAST = ['--folds', '3', '--threads', '0'];
/** README, "A small base". */
const SMALL_BASE = ['--min-child-weight', '1', '--num-leaves', '8', '--early-stopping-rounds', '50'];

beforeAll(async () => {
  base = await sampleBase();
  const db = openClientBase(base);
  try {
    await computeFeatures(db, { workers: 1 });
  } finally {
    db.close();
  }
}, 60_000);

describe('scoring-desk train on a small base', () => {
  it('says why no tree can split with the kernel’s hyperparameters, and which option to lower', async () => {
    const out = join(base, '..', 'kernel');
    const result = await runCli('train', '--db', base, '--out', out, ...FAST);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /no tree can split the 66\d training rows of fold 1 of 3: their hessian sum is [\d.]+ .* minChildWeight 39\.3; it must be below [\d.]+ for a first split to exist\. Lower --min-child-weight/,
    );
    expect(result.stderr).not.toContain('class_weights');
    expect(existsSync(out)).toBe(false);
  });

  it('names the option when a split needs more rows than the base has', async () => {
    const result = await runCli(
      'train',
      '--db',
      base,
      '--out',
      join(base, '..', 'never'),
      '--min-child-weight',
      '0',
      '--min-data-in-leaf',
      '400',
      ...FAST,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/a split needs 2 × minDataInLeaf = 800 rows\. Lower --min-data-in-leaf/);
  });

  it.each([
    ['--subsample', '2', '--subsample must be in (0, 1]'],
    ['--num-leaves', '1', '--num-leaves must be an integer ≥ 2'],
    ['--num-leaves', '7.5', '--num-leaves must be an integer ≥ 2'],
    ['--min-child-weight', '-1', '--min-child-weight must be ≥ 0'],
    ['--learning-rate', 'fast', '--learning-rate must be in (0, 1]'],
    ['--reg-lambda', '', '--reg-lambda must be ≥ 0'],
  ])('refuses %s %s as a usage error naming the rule', async (flag, value, message) => {
    const result = await runCli('train', '--db', base, '--out', join(base, '..', 'never'), flag, value);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${message} (got '${value}')`);
  });

  it('trains with the README’s settings for a small base, and the card records them', async () => {
    const out = join(base, '..', 'small');
    const result = await runCli('train', '--db', base, '--out', out, ...SMALL_BASE, ...FAST);
    expect(result.code, result.stderr).toBe(0);
    const card = parseModelCard(JSON.parse(readFileSync(join(out, MODEL_CARD_FILE), 'utf8')));
    expect(card.data.labelledRows).toBe(1000);
    expect(card.training.hyperparameters).toMatchObject({
      minChildWeight: 1,
      numLeaves: 8,
      earlyStoppingRounds: 50,
      learningRate: 0.02,
    });
    expect(card.training.finalRounds).toBeGreaterThan(1);
    expect(card.metrics.oofAuc).toBeGreaterThan(0.6);
  }, 120_000);
});
