import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LenderDetailsError, loadLenderDetails } from '../../../src-main/services/lenderDetails.ts';
import type { Services } from '../../../src-main/services/index.ts';
import { apiFixture, type ApiFixture } from './support/apiFixture.ts';
import { createServices } from '../../../src-main/services/index.ts';

const work = mkdtempSync(join(tmpdir(), 'scoring-desk-lender-'));
const file = (name: string, text: string) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};
const branchOffice = {
  name: 'Prêt à dépenser, agence de Lyon',
  address: '3 place Bellecour, 69002 Lyon',
  phone: '04 00 00 00 00',
  email: null,
  dataProtectionEmail: 'dpo@example.org',
  mediator: null,
  creditBureau: { name: 'Bureau de test', access: '1 rue du Test, 69000 Lyon' },
  retention: { refusedMonths: 3, grantedYearsAfterEnd: 10 },
};
/** What an installation's file leaves out takes the documented defaults. */
const withDefaults = {
  ...branchOffice,
  supervisoryAuthority: {
    name: 'CNIL (Commission nationale de l’informatique et des libertés)',
    address: '3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07',
    website: 'www.cnil.fr',
  },
  nominalRates: { 'Cash loans': 0.08, 'Revolving loans': 0.18 },
};

let services: Services | undefined;
afterAll(async () => services?.close());

describe('lender details', () => {
  it('are the repository’s by default, and an installation’s own file when given', () => {
    expect(loadLenderDetails()).toMatchObject({
      name: 'Prêt à dépenser',
      dataProtectionEmail: expect.any(String),
    });
    expect(loadLenderDetails(file('lyon.json', JSON.stringify(branchOffice)))).toEqual(withDefaults);
    const ownRates = { ...branchOffice, nominalRates: { 'Cash loans': 0.05, 'Revolving loans': 0.2 } };
    expect(loadLenderDetails(file('rates.json', JSON.stringify(ownRates))).nominalRates).toEqual(
      ownRates.nominalRates,
    );
  });

  it('refuse a missing file, a file that is not JSON and a field that is missing, empty or unknown, naming it', () => {
    expect(() => loadLenderDetails(join(work, 'absent.json'))).toThrow(
      /cannot read the lender details .*absent\.json/,
    );
    expect(() => loadLenderDetails(file('broken.json', '{"name": '))).toThrow(/broken\.json are not JSON/);
    const noAddress: Partial<typeof branchOffice> = { ...branchOffice };
    delete noAddress.address;
    expect(() => loadLenderDetails(file('a.json', JSON.stringify(noAddress)))).toThrow(LenderDetailsError);
    expect(() => loadLenderDetails(file('a.json', JSON.stringify(noAddress)))).toThrow(
      /a\.json are not valid: address:/,
    );
    expect(() => loadLenderDetails(file('b.json', JSON.stringify({ ...branchOffice, phone: '' })))).toThrow(
      /b\.json are not valid: phone:/,
    );
    expect(() => loadLenderDetails(file('c.json', JSON.stringify({ ...branchOffice, fax: '1' })))).toThrow(
      /c\.json are not valid: .*fax/,
    );
    const noRevolvingRate = { ...branchOffice, nominalRates: { 'Cash loans': 0.05 } };
    expect(() => loadLenderDetails(file('d.json', JSON.stringify(noRevolvingRate)))).toThrow(
      /d\.json are not valid: nominalRates\.Revolving loans:/,
    );
    const percentNotShare = { ...branchOffice, nominalRates: { 'Cash loans': 8, 'Revolving loans': 0.2 } };
    expect(() => loadLenderDetails(file('e.json', JSON.stringify(percentNotShare)))).toThrow(
      /e\.json are not valid: nominalRates\.Cash loans:/,
    );
  });

  it('come with the application’s status, for the sheet', async () => {
    const fixture: ApiFixture = await apiFixture();
    services = await createServices({
      dbPath: fixture.dbPath,
      modelDir: fixture.modelDir,
      lenderFile: file('status.json', JSON.stringify(branchOffice)),
      onWarning: () => {},
    });
    expect((await services.handlers.getStatus({})).lender).toEqual(withDefaults);
  });
});
