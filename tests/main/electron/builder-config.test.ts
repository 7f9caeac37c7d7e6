import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

/** Checks electron-builder.yml without building anything: Electron cannot be downloaded on every machine. */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const document = parseDocument(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));

interface PlatformConfig {
  target: string | string[];
  files?: string[];
}
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  win: PlatformConfig;
  linux: PlatformConfig;
}
const config = document.toJS() as BuilderConfig;
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };

// electron-builder matches paths relative to the app folder, with minimatch and `dot: true`.
const matchesAny = (patterns: string[], file: string): boolean =>
  patterns.some((pattern) => minimatch(file, pattern, { dot: true }));
const included = (patterns: string[]) => patterns.filter((pattern) => !pattern.startsWith('!'));
const excluded = (patterns: string[]) =>
  patterns.filter((pattern) => pattern.startsWith('!')).map((p) => p.slice(1));

function filesUnder(relativeDir: string): string[] {
  return readdirSync(path.join(root, relativeDir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

const onnxBinaries = filesUnder('node_modules/onnxruntime-node/bin');

describe('electron-builder.yml', () => {
  it('is valid YAML naming the app', () => {
    expect(document.errors).toEqual([]);
    expect(config.appId).toBe('fr.pretadepenser.scoringdesk');
    expect(config.productName).toBe('Scoring Desk');
  });

  it('packs the built app and leaves sources and tests out', () => {
    for (const file of [
      packageJson.main,
      'dist/electron/preload.cjs',
      'dist/renderer/index.html',
      'package.json',
    ]) {
      expect(matchesAny(included(config.files), file), file).toBe(true);
    }
    for (const file of ['src-main/electron/main.ts', 'src-renderer/main.ts', 'tests/renderer/i18n.test.ts']) {
      expect(matchesAny(included(config.files), file), file).toBe(false);
    }
  });

  it('unpacks every native file from the asar archive, with the shared libraries beside the bindings', () => {
    const nativeFiles = [...onnxBinaries, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'];
    expect(onnxBinaries.some((file) => file.endsWith('.node'))).toBe(true);
    for (const file of nativeFiles) expect(matchesAny(config.asarUnpack, file), file).toBe(true);
  });

  it.each([
    ['win', 'win32', 'x64'],
    ['win', 'win32', 'arm64'],
    ['linux', 'linux', 'x64'],
    ['linux', 'linux', 'arm64'],
  ] as const)('keeps only the onnxruntime binaries of %s (%s/%s)', (target, platform, arch) => {
    const exclusions = excluded([...config.files, ...(config[target].files ?? [])]).map((pattern) =>
      pattern.replaceAll('${arch}', arch),
    );
    const kept = onnxBinaries.filter((file) => !matchesAny(exclusions, file));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.filter((file) => !file.includes(`/${platform}/${arch}/`))).toEqual([]);
  });
});
