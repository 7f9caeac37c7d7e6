import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import {
  api,
  checkView,
  e2eManager,
  expectNoProblems,
  findRefusedClientWithOption,
  flatten,
  openApp,
  printSheetToPdf,
} from './support/app.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the manager’s journey, in French', () => {
  it('search → pending client → reasons → comparison → what-if → decision → printed sheet', async () => {
    const clientId = await findRefusedClientWithOption(baseUrl);
    const explanation = await api(baseUrl, 'getExplanation', { clientId, lang: 'fr' });
    const app = await openApp(browser, baseUrl, 'fr', { deskNamed: false });
    const { page } = app;

    const opened = performance.now();
    await page.goto(baseUrl);
    await page.locator('[data-client-row]').first().waitFor();
    // Nobody is named at the desk yet: the manager says who they are before anything is recorded.
    const desk = page.locator('[data-desk-form]');
    await desk.waitFor();
    await checkView(app, 'fr-00-desk');
    await desk.getByRole('button', { name: 'Commencer' }).click();
    await desk.getByText('Indiquez votre nom.').waitFor();
    await desk.getByLabel('Votre nom').fill(e2eManager.name);
    await desk.getByLabel('Agence').fill(e2eManager.branch);
    await desk.getByRole('button', { name: 'Commencer' }).click();
    await page.locator('[data-desk]', { hasText: `Conseiller : ${e2eManager.name}` }).waitFor();
    const usableMs = await page.evaluate(
      `performance.getEntriesByName('scoring-desk:app-usable')[0]?.startTime`,
    );
    console.info(
      `[timing] app usable (search focused, first results shown) ${Number(usableMs).toFixed(0)} ms after ` +
        `navigation start; ${(performance.now() - opened).toFixed(0)} ms as the test saw it`,
    );
    await checkView(app, 'fr-01-clients');

    // Search by number: the pending client comes up and opens.
    await page.getByLabel('Rechercher par numéro ou par nom').fill(String(clientId));
    const row = page.locator('[data-client-row]', { hasText: `N° ${clientId}` });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('En attente');
    await row.click();
    await page.locator('.ui-gauge').waitFor();
    await page.getByText(explanation.principalReasons[0]!.text).waitFor();
    const renderMs = await page.evaluate(
      `performance.measure('client-file', 'scoring-desk:client-selected', 'scoring-desk:client-file-rendered').duration`,
    );
    console.info(`[timing] client file rendered ${Number(renderMs).toFixed(0)} ms after selection`);
    await expect(page.locator('[data-decision-badge]').first().textContent()).resolves.toContain(
      'Avis défavorable',
    );
    for (const reason of explanation.principalReasons) await page.getByText(reason.text).waitFor();
    await checkView(app, 'fr-02-summary');

    await page.getByRole('link', { name: /Explication/ }).click();
    await page.getByRole('button', { name: 'Voir le détail' }).first().click();
    await page.locator('.explanation__drill table').waitFor();
    await checkView(app, 'fr-03-explanation');

    await page.getByRole('link', { name: /Profil/ }).click();
    await page.getByRole('heading', { name: 'Remboursement des échéances' }).waitFor();
    await checkView(app, 'fr-04-profile');

    // Similar past clients only as aggregates.
    await page.getByRole('link', { name: /Comparaison/ }).click();
    const similar = page.locator('[data-similar-sentence]');
    await similar.waitFor();
    expect(await similar.textContent()).toMatch(/\d+/);
    await page.locator('[data-percentile]').first().waitFor();
    await checkView(app, 'fr-05-comparison');

    // What-if: apply the first option that grants the loan, and see the opinion change.
    await page.getByRole('link', { name: /Simulation/ }).click();
    const option = page.locator('[data-counterfactual-option]', { hasText: 'Avis favorable' }).first();
    await option.waitFor();
    await expect(page.locator('[data-what-if-decision]').textContent()).resolves.toContain(
      'Avis défavorable',
    );
    await option.getByRole('button', { name: 'Appliquer' }).click();
    await page.locator('[data-what-if-decision]', { hasText: 'Avis favorable' }).waitFor();
    await page.getByText("L'avis change.").waitFor();
    await checkView(app, 'fr-06-what-if');

    // The manager grants the loan against the model's opinion: a reason is required.
    await page.getByRole('link', { name: /Décision/ }).click();
    await page.getByLabel('Accorder le crédit').check();
    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await page.getByText('Indiquez le motif de la décision.').waitFor();
    await page
      .getByLabel("Motif de la décision contraire à l'avis du modèle")
      .fill('Apport personnel complémentaire convenu avec le client, comme dans la simulation.');
    await page.getByLabel('Observations du client').fill('Je peux apporter 10 000 € de plus.');
    await page.getByText(`Décision enregistrée au nom de ${e2eManager.name}.`).waitFor();
    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await page.locator('[data-decision-saved]').waitFor();
    await page.getByRole('cell', { name: e2eManager.name }).first().waitFor();
    await checkView(app, 'fr-07-decision');

    // The sheet: printing logs first, and the trace id on paper is the one in the audit log.
    await page.getByRole('link', { name: "Fiche d'explication" }).click();
    await page.locator('[data-sheet]').waitFor();
    await checkView(app, 'fr-08-sheet');
    await page.locator('[data-print-sheet]').click();
    await page.locator('[data-printed]').waitFor();
    expect(await page.evaluate('window.printCalls')).toBe(1);
    const traceId = (await page.locator('[data-sheet-trace] strong').textContent())?.trim() ?? '';
    const pdf = await printSheetToPdf(page, 'fr-sheet');
    const text = flatten(pdf.text);
    expect(pdf.pages).toBe(1);
    expect(text).toContain('Crédit accordé');
    expect(text).toContain(e2eManager.name);
    for (const reason of explanation.principalReasons.slice(0, 4))
      expect(text).toContain(flatten(reason.text));
    expect(text).toContain(traceId);
    const { lender } = await api(baseUrl, 'getStatus', {});
    for (const detail of [lender.name, lender.phone, lender.dataProtectionEmail])
      expect(text).toContain(detail);
    const history = await api(baseUrl, 'getClientHistory', { clientId });
    expect(
      history.events.filter((event) => event.action === 'print').map((event) => event.traceId),
    ).toContain(traceId);
    expect(
      history.decisions.some((decision) => decision.finalDecision === 'granted' && decision.overridden),
    ).toBe(true);
    expect(history.events.filter((event) => event.action !== 'desk').map((event) => event.actor)).toEqual(
      history.events.filter((event) => event.action !== 'desk').map(() => e2eManager.name),
    );

    expectNoProblems(app);
  });
});
