import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { api, checkView, expectNoProblems, flatten, openApp, printSheetToPdf } from './support/app.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;
let clientId: number;

beforeAll(async () => {
  browser = await launchChromium();
  const pending = await api(baseUrl, 'searchClients', { status: ['pending'], pageSize: 1 });
  clientId = pending.items[0]!.clientId;
});

afterAll(async () => {
  await browser?.close();
});

describe('English', () => {
  it('shows every view and prints the sheet in English', async () => {
    const app = await openApp(browser, baseUrl, 'en');
    const { page } = app;
    const explanation = await api(baseUrl, 'getExplanation', { clientId, lang: 'en' });
    await page.goto(`${baseUrl}#/clients/${clientId}`);
    await page.getByRole('heading', { name: 'What weighs against the application' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await checkView(app, 'en-01-summary');
    for (const [section, heading] of [
      ['explanation', 'From the average client to this file'],
      ['profile', 'Repayment of instalments'],
      ['comparison', 'Clients with a similar profile'],
      ['what-if', 'Change the application'],
      ['decision', 'Record the decision'],
    ] as const) {
      await page.goto(`${baseUrl}#/clients/${clientId}/${section}`);
      await page.getByText(heading).first().waitFor();
      await checkView(app, `en-${section}`);
    }
    await page.goto(`${baseUrl}#/model`);
    await page.getByRole('heading', { name: 'Reliability of the probabilities' }).waitFor();
    await checkView(app, 'en-model');

    await page.goto(`${baseUrl}#/clients/${clientId}/sheet`);
    await page.locator('[data-sheet]').waitFor();
    await page.locator('[data-print-sheet]').click();
    await page.locator('[data-printed]').waitFor();
    const pdf = await printSheetToPdf(page, 'en-sheet');
    const text = flatten(pdf.text);
    expect(pdf.pages).toBe(1);
    expect(text).toContain('Your credit application: the decision and its reasons');
    expect(text).toContain('Your rights');
    for (const reason of explanation.principalReasons.slice(0, 4))
      expect(text).toContain(flatten(reason.text));
    expectNoProblems(app);
  });

  it('prints the sheet in the client’s language, whatever the screen’s', async () => {
    const app = await openApp(browser, baseUrl, 'fr');
    const { page } = app;
    await page.goto(`${baseUrl}#/clients/${clientId}/sheet`);
    await page.locator('[data-sheet]').waitFor();
    await page.getByLabel('Langue de la fiche').selectOption('en');
    await page.getByText('Your credit application: the decision and its reasons').waitFor();
    await page.getByRole('button', { name: 'Imprimer la fiche' }).click();
    await page.locator('[data-printed]').waitFor();
    const text = flatten((await printSheetToPdf(page, 'fr-screen-en-sheet')).text);
    expect(text).toContain('Your rights');
    expect(text).not.toContain('Vos droits');
    expectNoProblems(app);
  });
});

describe('presentation mode', () => {
  it('turns the screen to the client: no limit, no other clients, no technical names, larger type', async () => {
    const app = await openApp(browser, baseUrl, 'fr');
    const { page } = app;
    await page.goto(`${baseUrl}#/clients/${clientId}`);
    await page.locator('[data-margin]').waitFor();
    const expertSize = await page.evaluate('parseFloat(getComputedStyle(document.documentElement).fontSize)');
    await page.keyboard.press('p');
    await page.locator('[data-margin]').waitFor({ state: 'detached' });
    expect(
      await page.evaluate('parseFloat(getComputedStyle(document.documentElement).fontSize)'),
    ).toBeGreaterThan(Number(expertSize));
    expect(await page.locator('.ui-gauge__threshold').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/seuil/i);
    expect(await page.getByRole('link', { name: /Comparaison/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Le modèle' }).count()).toBe(0);
    await checkView(app, 'presentation-summary');

    await page.goto(`${baseUrl}#/clients/${clientId}/explanation`);
    await page.getByRole('button', { name: 'Voir le détail' }).first().click();
    await page.locator('.explanation__drill table').waitFor();
    expect(await page.locator('.explanation__drill').textContent()).not.toMatch(/[A-Z]{3,}_[A-Z_0-9]+/);
    await checkView(app, 'presentation-explanation');

    await page.goto(`${baseUrl}#/clients/${clientId}/profile`);
    await page.getByRole('heading', { name: 'Remboursement des échéances' }).waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/[A-Z]{3,}_[A-Z_0-9]+/);

    await page.goto(`${baseUrl}#/clients/${clientId}/comparison`);
    await page
      .getByText("La comparaison avec d'autres clients n'est pas affichée en mode présentation.")
      .waitFor();
    await page.goto(`${baseUrl}#/clients`);
    await page
      .getByText('La liste des clients est masquée en mode présentation.', { exact: false })
      .waitFor();
    expect(await page.locator('[data-client-row]').count()).toBe(0);

    await page.keyboard.press('p');
    await page.locator('[data-client-row]').first().waitFor();
    expectNoProblems(app);
  });
});

describe('keyboard only', () => {
  it('goes from the search to a decision and the sheet without the mouse, with a visible focus', async () => {
    const app = await openApp(browser, baseUrl, 'fr');
    const { page } = app;
    const focusOutline = () => page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    await page.goto(baseUrl);
    await page.locator('[data-client-row]').first().waitFor();
    // The search field has the focus when the list opens.
    await page.keyboard.type(String(clientId));
    await page.locator('[data-client-row]', { hasText: `N° ${clientId}` }).waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement.hasAttribute("data-client-row")')).toBe(true);
    expect(await focusOutline()).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.locator('.ui-gauge').waitFor();

    // "/" goes back to the search from anywhere; the browser's Back returns to the file.
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement.hasAttribute("data-client-search")')).toBe(true);
    await page.goBack();
    await page.locator('.ui-gauge').waitFor();
    await page.keyboard.press('5');
    await page.locator('[data-what-if-result]').waitFor();
    await page.keyboard.press('6');
    await page.getByRole('heading', { name: 'Enregistrer la décision' }).waitFor();
    // Tab to the decision radio buttons, choose with the arrow keys, then on to the submit button.
    const score = await api(baseUrl, 'getScore', { clientId, lang: 'fr' });
    for (let step = 0; step < 40; step += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate('document.activeElement?.type === "radio"')) break;
    }
    expect(await focusOutline()).not.toBe('none');
    // Nothing is chosen for the manager: Space picks the first choice, the arrow keys the other.
    expect(await page.evaluate('document.activeElement.checked')).toBe(false);
    await page.keyboard.press('Space');
    if ((await page.evaluate('document.activeElement.value')) !== score.decision)
      await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement.value')).toBe(score.decision);
    for (let step = 0; step < 40; step += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate('document.activeElement?.type === "submit"')) break;
    }
    await page.keyboard.press('Enter');
    await page.locator('[data-decision-saved]').waitFor();

    await page.keyboard.press('s');
    await page.locator('[data-sheet]').waitFor();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Raccourcis clavier' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expectNoProblems(app);
  });
});
