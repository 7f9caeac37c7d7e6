import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronSqliteBinding } from '../src-main/data/nativeBinding.ts';

/**
 * postinstall: builds better-sqlite3's addon a second time, for Electron's ABI, into .cache/electron-sqlite/
 * (src-main/data/nativeBinding.ts), leaving node_modules' Node build alone: after one `npm install` the CLI, the
 * tests and the server (Node) and the desktop app (Electron) each load their own build, with no rebuild back and
 * forth. Where the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD, no internet) there is no
 * desktop app to build for: it says so and succeeds. Building needs Electron's headers (downloaded by node-gyp)
 * and the same compiler as better-sqlite3's own install; a failure is reported, never fatal to `npm install`.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function electronVersion(): string | undefined {
  try {
    // The electron package's main module is the path of its binary; it throws when the binary is missing.
    const binary = require('electron') as unknown;
    if (typeof binary !== 'string' || !existsSync(binary)) return undefined;
    return (require('electron/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}

function main(): number {
  const version = electronVersion();
  if (!version) {
    console.info(
      'build-electron-sqlite: no Electron binary installed; `npm start` will serve the app to a browser.',
    );
    return 0;
  }
  const target = electronSqliteBinding(root, version);
  if (existsSync(target)) return 0;
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'scoring-desk-electron-sqlite-'));
  try {
    console.info(`build-electron-sqlite: building better-sqlite3 for Electron ${version} (about a minute)…`);
    cpSync(source, work, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
    // npm tells its lifecycle scripts where its own node-gyp is; a direct run uses the one in node_modules.
    const nodeGyp = process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js');
    const result = spawnSync(
      process.execPath,
      [
        nodeGyp,
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${version}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: work, stdio: 'inherit' },
    );
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (result.status !== 0 || !existsSync(built)) {
      console.warn(
        'build-electron-sqlite: the Electron build of better-sqlite3 failed; the desktop app will not open a base ' +
          '(the CLI, tests and `scoring-desk serve` are not affected). Run `npm run postinstall` to try again.',
      );
      return 0;
    }
    mkdirSync(dirname(target), { recursive: true });
    // Copied, not renamed: the temporary folder may be on another file system.
    copyFileSync(built, `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
    console.info(`build-electron-sqlite: ${target}`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = main();
