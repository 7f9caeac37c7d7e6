import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules live in eslint.config.js; these cases prove that they fire (and only where they should), so a
// change to the configuration cannot silently switch them off.
const eslint = new ESLint();

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId?.endsWith('no-restricted-imports'))
    .map((message) => message.message);
}

describe('layers enforced by lint', () => {
  it.each([
    [
      'src-main/data/probe.ts',
      "import { createServices } from '../services/index.ts';\nvoid createServices;\n",
    ],
    [
      'src-main/data/import/probe.ts',
      "import { trainBooster } from '../../model/trainBooster.ts';\nvoid trainBooster;\n",
    ],
    [
      'src-main/features/probe.ts',
      "import type { Explanation } from '../explain/engine.ts';\nexport type E = Explanation;\n",
    ],
    [
      'src-main/explain/probe.ts',
      "import { createServices } from '../services/index.ts';\nvoid createServices;\n",
    ],
    [
      'src-main/services/probe.ts',
      "import { startAppServer } from '../http/appServer.ts';\nvoid startAppServer;\n",
    ],
    [
      'src-main/api/probe.ts',
      "import { createServices } from '../services/index.ts';\nvoid createServices;\n",
    ],
  ])('refuses an import running up the layers from %s', async (filePath, code) => {
    const errors = await importErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/may not import src-main\/\w+: /);
  });

  it.each([
    [
      'src-main/services/probe.ts',
      "import { trainBooster } from '../model/trainBooster.ts';\nvoid trainBooster;\n",
    ],
    [
      'src-main/http/probe.ts',
      "import { createServices } from '../services/index.ts';\nvoid createServices;\n",
    ],
    ['src-main/data/import/probe.ts', "import { x } from '../demo/identity.ts';\nvoid x;\n"],
  ])('accepts an import running down the layers from %s', async (filePath, code) => {
    expect(await importErrors(filePath, code)).toEqual([]);
  });

  it('lets the renderer import the contract with import type only', async () => {
    const typeOnly = "import type { Lang } from '../../src-main/api/contract.ts';\nexport type L = Lang;\n";
    const value = "import { apiMethodNames } from '../../src-main/api/methods.ts';\nvoid apiMethodNames;\n";
    expect(await importErrors('src-renderer/stores/probe.ts', typeOnly)).toEqual([]);
    expect(await importErrors('src-renderer/stores/probe.ts', value)).toEqual([
      expect.stringMatching(/with `import type` only/),
    ]);
  });

  it('keeps the renderer away from everything in src-main but the contract', async () => {
    const code =
      "import type { ModelCard } from '../../src-main/model/modelCard.ts';\nexport type M = ModelCard;\n";
    expect(await importErrors('src-renderer/stores/probe.ts', code)).toEqual([
      expect.stringMatching(/sees only the API contract/),
    ]);
  });
});
