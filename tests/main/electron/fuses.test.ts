import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
import { PlatformPackager, type FuseOptionsV1 } from 'app-builder-lib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The fuses electron-builder.yml asks for, flipped the way `npm run dist` flips them: electron-builder's own
 * translation of the `electronFuses` section (PlatformPackager.generateFuseConfig) handed to @electron/fuses,
 * on a stand-in binary holding Electron's fuse wire with its defaults (Electron itself is not downloaded here).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  electronFuses: FuseOptionsV1;
  asar?: boolean;
};
const work = mkdtempSync(path.join(tmpdir(), 'scoring-desk-fuses-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** How Electron marks its fuse wire, and a fuse's two states (ASCII '1' and '0'), from @electron/fuses. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const on = 0x31;
const off = 0x30;
/** Electron's shipped wire, in FuseV1Options order: what an app gets when no fuse is flipped. */
const electronDefaults = [on, off, on, on, off, off, off, on];

/** electron-builder's translation is private: reached through its prototype, so that the test runs that code. */
const builderTranslation = PlatformPackager.prototype as unknown as {
  generateFuseConfig(fuses: FuseOptionsV1): Promise<FuseConfig>;
};

function standInElectron(): string {
  const file = path.join(work, `electron-${Math.random().toString(36).slice(2)}`);
  const wire = Buffer.from([Number(FuseVersion.V1), electronDefaults.length, ...electronDefaults]);
  writeFileSync(
    file,
    Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), wire, Buffer.alloc(4096)]),
  );
  return file;
}

describe('the packaged app’s Electron fuses', () => {
  it('turn off running as Node, NODE_OPTIONS and --inspect, and load only an integrity-checked app.asar', async () => {
    const binary = standInElectron();
    const fuses = await builderTranslation.generateFuseConfig(config.electronFuses);
    await flipFuses(binary, { ...fuses, strictlyRequireAllFuses: false });
    const wire = await getCurrentFuseWire(binary);
    expect({
      runAsNode: wire[FuseV1Options.RunAsNode],
      nodeOptions: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
      inspect: wire[FuseV1Options.EnableNodeCliInspectArguments],
      asarIntegrity: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
      onlyAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
      cookieEncryption: wire[FuseV1Options.EnableCookieEncryption],
    }).toEqual({
      runAsNode: off,
      nodeOptions: off,
      inspect: off,
      asarIntegrity: on,
      onlyAsar: on,
      cookieEncryption: on,
    });
    // The page is loaded from file:// as ES modules, which need the file protocol's privileges.
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(on);
  });

  it('packs the app as an asar archive, without which onlyLoadAppFromAsar would leave no app to load', () => {
    expect(config.asar ?? true).toBe(true);
  });
});
