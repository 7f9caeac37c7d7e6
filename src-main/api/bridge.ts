import type { ApiClient, ApiResult } from './contract.ts';

/** Electron only: the printed sheet saved as PDF. */
export interface PrintToPdfInput {
  /** The trace id the sheet shows, returned by `logEvent({ kind: 'print' })`. */
  traceId: string;
}

export interface PrintToPdfOutput {
  /** Where the PDF was saved (the user's documents folder). */
  path: string;
  bytes: number;
}

/**
 * What the preload script exposes to the renderer as `window.scoringDesk`. Declared beside the contract because
 * it is part of it: the preload (src-main/electron/preload.ts) implements it and the renderer imports it with
 * `import type` only, so no main-process code reaches the page.
 */
export interface ScoringDeskBridge {
  /** The application's version, as packaged. */
  readonly version: string;
  /** Every method of the API contract (src-main/api/contract.ts), over IPC. */
  readonly api: ApiClient;
  /** Prints the current page (the sheet route) to PDF with its print stylesheet, and logs the print. */
  printToPdf(input: PrintToPdfInput): Promise<ApiResult<PrintToPdfOutput>>;
}
