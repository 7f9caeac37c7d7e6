import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ApiError, ApiInput, ApiMethod, ApiOutput } from '../../../src-main/api/contract.ts';
import { API_HEADERS } from '../../../src-main/http/requestChecks.ts';
import { artifactsDir, screenshot, seriousAxeViolations, watchPageProblems } from './browser.ts';

/** Calls the server's API directly, as another system would: to pick the clients a test needs. */
export async function api<M extends ApiMethod>(
  baseUrl: string,
  method: M,
  input: ApiInput<M>,
): Promise<ApiOutput<M>> {
  const response = await fetch(new URL(`api/${method}`, baseUrl), {
    method: 'POST',
    headers: API_HEADERS,
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as ApiOutput<M> | { error: ApiError };
  if (!response.ok) {
    const { error } = body as { error: ApiError };
    throw new Error(`${method}: ${response.status} ${error.code}: ${error.message}`);
  }
  return body as ApiOutput<M>;
}

export interface AppPage {
  page: Page;
  /** Page errors and console errors (a Content-Security-Policy violation is one): each test expects none. */
  problems: string[];
  /** Serious or critical axe violations found on each view checked, by view name. */
  accessibility: Map<string, string[]>;
}

/** The manager the e2e tests name at the desk, on screen (journey) or through the API (other files). */
export const e2eManager = { name: 'Claire Dubois', branch: 'Agence Lyon Part-Dieu' };

/**
 * A fresh browser context on the app in a language, with the desk named (unless `deskNamed` is false: the
 * journey names it on screen). `window.print` is replaced by a counter: headless Chromium
 * would otherwise hold the page in a print job; the PDF comes from `page.pdf()`, which applies the same print
 * stylesheet.
 */
export async function openApp(
  browser: Browser,
  baseUrl: string,
  lang: 'fr' | 'en',
  { deskNamed = true } = {},
): Promise<AppPage> {
  await api(baseUrl, 'setDesk', { manager: deskNamed ? e2eManager : null });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
  });
  await context.addInitScript(
    `localStorage.setItem('scoring-desk.locale', ${JSON.stringify(lang)}); window.print = () => { window.printCalls = (window.printCalls ?? 0) + 1; };`,
  );
  const page = await context.newPage();
  return { page, problems: watchPageProblems(page), accessibility: new Map() };
}

/** Screenshot of the view as artifact, and its accessibility check. */
export async function checkView(app: AppPage, name: string): Promise<void> {
  await app.page.waitForLoadState('networkidle');
  await screenshot(app.page, name);
  const violations = await seriousAxeViolations(app.page);
  app.accessibility.set(
    name,
    violations.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.targets.join(', ')}`,
    ),
  );
}

export function expectNoProblems(app: AppPage): void {
  expect(app.problems).toEqual([]);
  const failing = [...app.accessibility].filter(([, violations]) => violations.length > 0);
  expect(Object.fromEntries(failing)).toEqual({});
}

/** The sheet as PDF with the print stylesheet, saved as artifact, and its text (pdftotext from poppler-utils). */
export async function printSheetToPdf(
  page: Page,
  name: string,
): Promise<{ file: string; text: string; pages: number }> {
  const file = path.join(artifactsDir, `${name}.pdf`);
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
  return { file, text, pages };
}

/** Collapses the PDF's line breaks and runs of spaces, so a sentence wrapped on paper still matches. */
export function flatten(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * A pending client the model refuses and for whom the what-if search finds an option that would grant the
 * loan: the journey needs one to show a decision change.
 */
export async function findRefusedClientWithOption(baseUrl: string): Promise<number> {
  const candidates = await api(baseUrl, 'searchClients', {
    status: ['pending'],
    decision: 'refused',
    pageSize: 50,
  });
  for (const candidate of candidates.items) {
    const whatIf = await api(baseUrl, 'whatIf', {
      clientId: candidate.clientId,
      edits: {},
      counterfactuals: true,
    });
    if (whatIf.counterfactuals?.options.some((option) => option.decision === 'granted'))
      return candidate.clientId;
  }
  throw new Error('no pending refused client with an option that grants the loan among the first 50');
}
