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
