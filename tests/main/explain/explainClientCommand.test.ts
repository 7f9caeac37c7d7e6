import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/support/runCli.ts';
import { openClientBase } from '../../../src-main/data/clientBase.ts';
import { REFERENCE_FILE } from '../../../src-main/explain/explanationReference.ts';
import { demoModels, type DemoModels } from './support/demoModel.ts';

let models: DemoModels;
let modelDir: string;
let refusedClient: number;
const work = mkdtempSync(join(tmpdir(), 'scoring-desk-explain-client-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  models = await demoModels();
  modelDir = join(work, 'model');
  cpSync(models.model, modelDir, { recursive: true });
  rmSync(join(modelDir, REFERENCE_FILE), { force: true });
  const db = openClientBase(models.db);
  // The lowest external scores of the base: refused by any model trained on it.
  refusedClient = db
    .prepare(
      'SELECT SK_ID_CURR FROM application WHERE EXT_SOURCE_3 IS NOT NULL ORDER BY EXT_SOURCE_3 LIMIT 1',
    )
    .pluck()
    .get() as number;
  db.close();
});

const run = (...args: string[]) => runCli('explain', ...args);

describe('scoring-desk explain --db --client', () => {
  it('prints the decision, the reasons and the options, computing the reference once', async () => {
    const client = String(refusedClient);
    const first = await run('--db', models.db, '--client', client, '--model', modelDir, '--lang', 'en');
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/Computing the explanation reference of .* \(once per model\)/);
    expect(existsSync(join(modelDir, REFERENCE_FILE))).toBe(true);
    const lines = first.stdout.split('\n');
    expect(lines[0]).toBe(`Client ${client}, model test-1`);
    expect(lines[1]).toMatch(/^Probability of default: \d+\.\d% \(threshold \d+\.\d%\): refused$/);
    expect(first.stdout).toMatch(/\nPrincipal reasons:\n {2}1\. Your external credit scores are low: /);
    expect(first.stdout).toMatch(/\nContributions by family:\n {2}- External credit scores +\+\d+\.\d pts/);
    expect(first.stdout).toMatch(
      /\nWhat would change the decision:\n {2}(Changes that|No acceptable change)/,
    );

    const again = await run('--db', models.db, '--client', client, '--model', join(modelDir, 'model.onnx'));
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(
      /^Client \d+, modèle test-1\nProbabilité de défaut : [\d,]+\u00a0% \(seuil [\d,]+\u00a0%\) : refusé\n/,
    );
    expect(again.stdout).toMatch(
      /\nPrincipales raisons :\n {2}1\. Vos scores de crédit externes sont bas : /,
    );
  });

  it.each([
    [['--db', 'x.sqlite'], /explain needs --db and --client together \(missing --client\)/],
    [['--client', '100002'], /explain needs --db and --client together \(missing --db\)/],
    [['--db', 'x.sqlite', '--client', 'abc'], /--client takes a client number/],
    [['--db', 'x.sqlite', '--client', '100002', '--lang', 'de'], /--lang takes fr or en/],
    [['--db', 'x.sqlite', '--client', '100002', '--out', 'y.csv'], /--out belong to the file form/],
  ])('a usage error for %j', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('fails naming the client that is not in the base, and the model folder that has no model', async () => {
    const unknown = await run('--db', models.db, '--client', '999', '--model', modelDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no client 999 in the client base/);
    const nowhere = await run('--db', models.db, '--client', '100002', '--model', join(work, 'nowhere'));
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/nowhere\/model\.onnx: cannot read the model file/);
  });
});
