import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

/**
 * Checks electron-builder.yml against the real node_modules without building anything (Electron cannot be
 * downloaded on every machine). The file selection is simulated as electron-builder does it: project files must
 * match an include pattern of `files`; production dependencies are added whole; both then lose what any exclusion
 * (`!` pattern, global or of the target platform) or electron-builder's own default exclusions match.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const document = parseDocument(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));

interface PlatformConfig {
  target: string | string[];
  icon?: string;
  files?: string[];
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string; output: string };
  files: string[];
  asarUnpack: string[];
  win: PlatformConfig;
  mac: PlatformConfig;
  linux: PlatformConfig;
}
const config = document.toJS() as BuilderConfig;
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

// electron-builder matches paths relative to the app folder, with minimatch and `dot: true`.
const compiled = new Map<string, Minimatch>();
const matchesAny = (patterns: string[], file: string): boolean =>
  patterns.some((pattern) => {
    let matcher = compiled.get(pattern);
    if (!matcher) compiled.set(pattern, (matcher = new Minimatch(pattern, { dot: true })));
    return matcher.match(file);
  });
const included = (patterns: string[]) => patterns.filter((pattern) => !pattern.startsWith('!'));
const excluded = (patterns: string[]) =>
  patterns.filter((pattern) => pattern.startsWith('!')).map((p) => p.slice(1));
// electron-builder's own exclusions (app-builder-lib fileMatcher.ts): static libraries, objects, makefiles...
const builderDefaults = ['**/*.{mk,a,o,obj,cc,d.ts,pdb}', '**/{package-lock.json,.gitignore,.npmignore}'];

function filesUnder(relativeDir: string): string[] {
  return readdirSync(path.join(root, relativeDir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** The folders of the production dependencies, as npm resolves them: what electron-builder copies. */
const productionFolders = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .map((line) => path.relative(root, line.trim()).split(path.sep).join('/'))
  .filter((folder) => folder.startsWith('node_modules/'));
const productionFiles = productionFolders.flatMap((folder) =>
  filesUnder(folder).filter(
    (file) => !productionFolders.some((f) => f !== folder && file.startsWith(`${f}/`)),
  ),
);

/** Project files outside node_modules and hidden folders (.git, caches), dist/ included once built. */
const projectFiles = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.name !== 'node_modules' && entry.name !== 'release')
  .flatMap((entry) => {
    if (!entry.isDirectory()) return [entry.name];
    return entry.name.startsWith('.') ? [] : filesUnder(entry.name);
  });

const targets = [
  ['win', 'win32', 'x64'],
  ['win', 'win32', 'arm64'],
  ['mac', 'darwin', 'arm64'],
  ['linux', 'linux', 'x64'],
  ['linux', 'linux', 'arm64'],
] as const;
type Target = (typeof targets)[number][0];

function exclusionsFor(target: Target, arch: string): string[] {
  return [...excluded([...config.files, ...(config[target].files ?? [])]), ...builderDefaults].map((p) =>
    p.replaceAll('${arch}', arch),
  );
}

const packed = new Map<string, string[]>();

/** What the installer of `target` for `arch` would hold. */
function packedFiles(target: Target, arch: string): string[] {
  const key = `${target}/${arch}`;
  if (!packed.has(key)) {
    const exclusions = exclusionsFor(target, arch);
    const fromProject = projectFiles.filter((file) => matchesAny(included(config.files), file));
    packed.set(
      key,
      [...fromProject, ...productionFiles].filter((file) => !matchesAny(exclusions, file)),
    );
  }
  return packed.get(key)!;
}

const isNative = (file: string) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(file);

describe('electron-builder.yml', () => {
  it('is valid YAML naming the app, with an installer per platform and an icon', () => {
    expect(document.errors).toEqual([]);
    expect(config.appId).toBe('fr.pretadepenser.scoringdesk');
    expect(config.productName).toBe('Scoring Desk');
    expect(config.win.target).toBe('nsis');
    expect(config.mac.target).toBe('dmg');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    for (const target of ['win', 'mac', 'linux'] as const) {
      const icon = readFileSync(path.join(root, config[target].icon!));
      // A PNG of at least 512×512 px, from which electron-builder makes the .ico and .icns.
      expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
      expect(icon.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
    }
  });

  it('packs the built app and its model folder, and leaves sources, tests, scripts, docs and demo data out', () => {
    for (const file of [
      packageJson.main,
      'dist/electron/preload.cjs',
      'dist/renderer/index.html',
      'models/model.onnx',
      'package.json',
    ]) {
      expect(matchesAny(included(config.files), file), file).toBe(true);
    }
    for (const target of targets) {
      const packed = packedFiles(target[0], target[2]).filter((file) => !file.startsWith('node_modules/'));
      expect(
        packed.filter((file) => !/^(dist|data\/(schema|generator)|models)\/|^package\.json$/.test(file)),
      ).toEqual([]);
    }
    for (const file of [
      'src-main/electron/main.ts',
      'src-renderer/main.ts',
      'tests/renderer/i18n.test.ts',
      'scripts/build-electron.ts',
      'docs/security.md',
      'data/demo/client-base.sqlite',
      'README.md',
      '.ci/run',
    ]) {
      expect(matchesAny(included(config.files), file), file).toBe(false);
    }
  });

  it('packs no development dependency', () => {
    const production = new Set(productionFolders);
    const devOnly = Object.keys(packageJson.devDependencies).filter(
      (name) => !production.has(`node_modules/${name}`),
    );
    expect(devOnly).toEqual(expect.arrayContaining(['electron', 'electron-builder', 'vitest', 'vue']));
    for (const name of devOnly) {
      expect(matchesAny(included(config.files), `node_modules/${name}/package.json`), name).toBe(false);
    }
    expect(production).toContain('node_modules/better-sqlite3');
    expect(production).toContain('node_modules/onnxruntime-node');
  });

  it.each(targets)(
    'unpacks every native file the %s installer (%s/%s) holds from the asar archive',
    (target, _p, arch) => {
      const native = packedFiles(target, arch).filter(isNative);
      expect(native).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
      expect(native.some((file) => file.includes('onnxruntime-node/bin/') && file.endsWith('.node'))).toBe(
        true,
      );
      for (const file of native) expect(matchesAny(config.asarUnpack, file), file).toBe(true);
      // The whole onnxruntime folder, not only its .node: the binding loads the shared library beside it.
      for (const file of packedFiles(target, arch).filter((f) => f.includes('onnxruntime-node/bin/'))) {
        expect(matchesAny(config.asarUnpack, file), file).toBe(true);
      }
    },
  );

  it.each(targets)('keeps only the onnxruntime binaries of %s (%s/%s)', (target, platform, arch) => {
    const kept = packedFiles(target, arch).filter((file) =>
      file.startsWith('node_modules/onnxruntime-node/bin/'),
    );
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.filter((file) => !file.includes(`/${platform}/${arch}/`))).toEqual([]);
  });

  it("leaves out better-sqlite3's sources, build files and test extension, keeping its binding", () => {
    const packed = packedFiles('linux', 'x64').filter((file) =>
      file.startsWith('node_modules/better-sqlite3/'),
    );
    const nonJs = packed.filter((file) => !/\.(js|json|md)$|LICENSE$/.test(file));
    expect(nonJs).toEqual(['node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
  });
});
