import { join } from 'node:path';

/**
 * Which build of better-sqlite3's native addon a process loads. Node (the CLI, the server, the tests) loads the
 * one `npm install` compiled into node_modules. Electron has another ABI: in development its main process (and
 * the worker threads it starts, which inherit the environment) loads a second build, made by the postinstall
 * step (scripts/build-electron-sqlite.ts) into .cache/, through `new Database(file, { nativeBinding })`, so
 * neither runtime ever needs the other's build rebuilt. A packaged app needs neither: electron-builder rebuilds
 * node_modules for Electron when it packs the app.
 */

/** Set by the Electron main process to the Electron build; unset everywhere else. */
export const SQLITE_BINDING_ENV = 'SCORING_DESK_SQLITE_BINDING';

/** The `nativeBinding` option of the better-sqlite3 constructor for this process ({} for the default build). */
export function nativeBindingOption(): { nativeBinding?: string } {
  const path = process.env[SQLITE_BINDING_ENV];
  return path ? { nativeBinding: path } : {};
}

/** Where the postinstall step puts the Electron build of the addon, per Electron version. */
export function electronSqliteBinding(root: string, electronVersion: string): string {
  return join(root, '.cache', 'electron-sqlite', electronVersion, 'better_sqlite3.node');
}
