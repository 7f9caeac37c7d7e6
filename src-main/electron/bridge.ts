/**
 * What the preload script exposes to the renderer as `window.scoringDesk`. Declared once here: the preload
 * implements it and the renderer imports it with `import type` only, so no main-process code reaches the page.
 */
export interface ScoringDeskBridge {
  /** The application's version, as packaged. */
  readonly version: string;
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
