import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { offerEdits } from '../../src-renderer/stores/whatIfLevers.ts';
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

    // A sheet printed before the decision gives the model's opinion on the offer discussed, and promises nothing.
    await page.getByRole('link', { name: "Fiche d'explication" }).click();
    await page.locator('[data-sheet]').waitFor();
    await page.locator('[data-print-sheet]').click();
    await page.locator('[data-printed]').waitFor();
    const pendingPdf = await printSheetToPdf(page, 'fr-sheet-pending');
    expect(pendingPdf.pages).toBe(1);
    const before = flatten(pendingPdf.text);
    expect(before).toContain("L'offre étudiée avec vous (pas encore décidée)");
    expect(before).toContain('Avis favorable du modèle, pas encore de décision');
    expect(before).toContain(`Votre conseiller : ${e2eManager.name}.`);
    expect(before).not.toContain('Crédit accordé');
    expect(before).not.toContain("rien n'est à changer");
    await page.goBack();
    await page.locator('.ui-gauge, [data-what-if-result]').first().waitFor();

    // The decision is on the offer left in the what-if, beside the model's opinion on that offer; no choice is
    // made for the manager.
    await page.getByRole('link', { name: /Décision/ }).click();
    await page.getByText("L'offre décidée : celle étudiée dans la simulation").waitFor();
    await page.locator('[data-decision-opinion]', { hasText: 'Avis favorable' }).waitFor();
    const choices = page.locator('[data-decision-choice] input[type="radio"]');
    expect([await choices.nth(0).isChecked(), await choices.nth(1).isChecked()]).toEqual([false, false]);
    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await page.getByText('Choisissez la décision : accorder ou refuser.').waitFor();
    // Granting this offer follows the model's opinion on it: no override reason.
    await page.getByLabel('Accorder le crédit').check();
    await page.locator('[data-decision-follows]').waitFor();
    expect(await page.getByLabel("Motif de la décision contraire à l'avis du modèle").count()).toBe(0);
    await page.getByLabel('Observations du client').fill('Je peux emprunter un peu moins.');
    await page.getByText(`Décision enregistrée au nom de ${e2eManager.name}.`).waitFor();
    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await page.locator('[data-decision-saved]').waitFor();
    await page
      .getByRole('cell', { name: new RegExp(e2eManager.name) })
      .first()
      .waitFor();
    await checkView(app, 'fr-07-decision');

    // The sheet: printing logs first, and the trace id on paper is the one in the audit log.
    await page.getByRole('link', { name: "Fiche d'explication" }).click();
    await page.locator('[data-sheet]').waitFor();
    await checkView(app, 'fr-08-sheet');
    await page.locator('[data-print-sheet]').click();
    await page.locator('[data-printed]').waitFor();
    expect(await page.evaluate('window.printCalls')).toBe(2);
    const traceId = (await page.locator('[data-sheet-trace] strong').textContent())?.trim() ?? '';
    const pdf = await printSheetToPdf(page, 'fr-sheet');
    const text = flatten(pdf.text);
    expect(pdf.pages).toBe(1);
    expect(text).toContain('Crédit accordé');
    expect(text).toContain("L'offre décidée");
    expect(text).toContain(`par votre conseiller, ${e2eManager.name}, sur l'offre ci-dessous`);
    expect(text).not.toContain('pas encore');
    expect(text).toContain(e2eManager.name);
    expect(text).toContain(traceId);
    const { lender } = await api(baseUrl, 'getStatus', {});
    for (const detail of [lender.name, lender.phone, lender.dataProtectionEmail])
      expect(text).toContain(detail);
    const history = await api(baseUrl, 'getClientHistory', { clientId });
    expect(
      history.events.filter((event) => event.action === 'print').map((event) => event.traceId),
    ).toContain(traceId);
    const [decided] = history.decisions;
    // The sheet gives the reasons of the offer decided, not of the application as made.
    const onOffer = await api(baseUrl, 'whatIf', {
      clientId,
      lang: 'fr',
      edits: offerEdits(decided!.offer!),
      counterfactuals: false,
    });
    const reasons = onOffer.explanation.principalReasons.length
      ? onOffer.explanation.principalReasons
      : onOffer.explanation.favourableReasons;
    for (const reason of reasons.slice(0, 4)) expect(text).toContain(flatten(reason.text));
    expect(decided).toMatchObject({
      finalDecision: 'granted',
      modelDecision: 'granted',
      overridden: false,
      manager: e2eManager.name,
      managerBranch: e2eManager.branch,
    });
    // The offer decided is the option applied in the what-if, not the application as made.
    const asMade = await api(baseUrl, 'whatIf', { clientId, edits: {}, counterfactuals: true });
    const applied = asMade.counterfactuals!.options.find((o) => o.decision === 'granted')!;
    const discussed = await api(baseUrl, 'whatIf', {
      clientId,
      edits: applied.edits,
      counterfactuals: false,
    });
    expect(decided!.offer).toEqual(discussed.applied);
    expect(decided!.offer).not.toEqual(asMade.stored);
    expect(decided!.probability).toBeCloseTo(discussed.after.probability, 6);
    expect(decided!.review?.sectionsOpened).toEqual([
      'summary',
      'explanation',
      'profile',
      'comparison',
      'what-if',
      'sheet',
      'decision',
    ]);
    expect(decided!.review?.secondsOnFile).toBeGreaterThanOrEqual(1);
    const logged = history.events.find((event) => event.action === 'decision');
    expect(logged?.details).toMatchObject({ offer: decided!.offer });
    expect(history.events.filter((event) => event.action !== 'desk').map((event) => event.actor)).toEqual(
      history.events.filter((event) => event.action !== 'desk').map(() => e2eManager.name),
    );

    expectNoProblems(app);
  });
});
