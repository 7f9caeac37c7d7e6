import type { ApiClient, ApiResult } from '../api/contract.ts';

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
 * What the preload script exposes to the renderer as `window.scoringDesk`. Declared once here: the preload
 * implements it and the renderer imports it with `import type` only, so no main-process code reaches the page.
 */
export interface ScoringDeskBridge {
  /** The application's version, as packaged. */
  readonly version: string;
  /** Every method of the API contract (src-main/api/contract.ts), over IPC. */
  readonly api: ApiClient;
  /** Prints the current page (the sheet route) to PDF with its print stylesheet, and logs the print. */
  printToPdf(input: PrintToPdfInput): Promise<ApiResult<PrintToPdfOutput>>;
}

// A sandboxed preload cannot read package.json or call the main process synchronously without blocking it, so
// the main process hands the version over as a command-line switch of the renderer process.
const versionSwitch = '--scoring-desk-version=';

export function versionArgument(version: string): string {
  return `${versionSwitch}${version}`;
}

export function readVersionArgument(argv: readonly string[]): string {
  const argument = argv.find((arg) => arg.startsWith(versionSwitch));
  if (argument === undefined) {
    throw new Error(`preload: ${versionSwitch}… missing from the renderer arguments`);
  }
  return argument.slice(versionSwitch.length);
}

/** The IPC channels between the preload and the main process; the main process answers no other. */
export const ipcChannels = {
  api: 'scoring-desk:api',
  printToPdf: 'scoring-desk:print-to-pdf',
} as const;
