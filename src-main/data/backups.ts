import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { baseInUse, type ClientBase, ClientBaseError, openDatabaseFile } from './clientBase.ts';
import { latestVersion } from './migrations.ts';
import { syncFile, syncFolder } from '../runtime/durableFiles.ts';

/** How many backups of a base are kept: each import adds one and drops the oldest beyond this. */
export const KEPT_BACKUPS = 3;

export interface Backup {
  path: string;
  takenAt: Date;
  bytes: number;
}

/** The backups of `base.sqlite` are `backups/base.sqlite.<UTC time>.bak` beside it, so they sort by age. */
export function backupFolder(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'backups');
}

const stampPattern = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/;

function stamp(at: Date): string {
  return at.toISOString().replaceAll(':', '-').replace('.', '-');
}

function parseStamp(text: string): Date | undefined {
  const match = stampPattern.exec(text);
  return match ? new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z`) : undefined;
}

/** The backups of a base, newest first. */
export function listBackups(dbPath: string): Backup[] {
  const folder = backupFolder(dbPath);
  if (!existsSync(folder)) return [];
  const prefix = `${basename(dbPath)}.`;
  const found: Backup[] = [];
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix) || !name.endsWith('.bak')) continue;
    const takenAt = parseStamp(name.slice(prefix.length, -'.bak'.length));
    if (!takenAt) continue;
    const path = join(folder, name);
    found.push({ path, takenAt, bytes: statSync(path).size });
  }
  return found.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/**
 * Keeps the current state of a base as its newest backup, then drops the oldest beyond KEPT_BACKUPS. The caller
 * must have folded the write-ahead log into the file (no `-wal` beside it), so the file alone is the whole base.
 * The backup is a hard link when the file system allows: no copy, and the base about to be replaced by a rename
 * lives on under the backup's name. Returns undefined when there is no base yet.
 */
export function backUpBase(dbPath: string, at = new Date()): Backup | undefined {
  if (!existsSync(dbPath)) return undefined;
  const folder = backupFolder(dbPath);
  mkdirSync(folder, { recursive: true });
  const newest = listBackups(dbPath)[0];
  // Two backups within the same millisecond still get distinct, ordered names.
  const time = newest && newest.takenAt >= at ? new Date(newest.takenAt.getTime() + 1) : at;
  const path = join(folder, `${basename(dbPath)}.${stamp(time)}.bak`);
  try {
    linkSync(dbPath, path);
  } catch {
    // File systems without hard links (FAT, some network shares): a plain copy.
    copyFileSync(dbPath, path);
    syncFile(path);
  }
  syncFolder(folder);
  for (const old of listBackups(dbPath).slice(KEPT_BACKUPS)) rmSync(old.path, { force: true });
  return { path, takenAt: time, bytes: statSync(path).size };
}

/** Undoes `backUpBase` when the replacement it prepared for did not happen (a hard link would follow the base). */
export function dropBackup(backup: Backup): void {
  rmSync(backup.path, { force: true });
}

export interface RestoreOptions {
  /** The backup to restore; default: the newest. */
  backup?: string;
  /** Restore even though the current base holds audit entries (decisions) that the backup lacks. */
  force?: boolean;
}

export interface RestoreResult {
  restored: string;
  /** The base as it was before the restore, kept as the newest backup. */
  savedAs?: string;
}

interface AuditTail {
  entries: number;
  lastHash: string | undefined;
}

function auditTail(db: ClientBase): AuditTail {
  const hasLog = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'").get();
  if (!hasLog) return { entries: 0, lastHash: undefined };
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  return { entries: last?.seq ?? 0, lastHash: last?.hash };
}

// Files are inspected through read-write connections: a read-only one leaves -wal and -shm files behind, which
// would then pass for another program's.
function checkBackup(path: string): AuditTail {
  const db = openDatabaseFile(path);
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok')
      throw new ClientBaseError(`backup ${path} failed its integrity check: ${String(check)}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestVersion) {
      throw new ClientBaseError(`backup ${path} has schema version ${version}, newer than this Scoring Desk`);
    }
    return auditTail(db);
  } finally {
    db.close();
  }
}

function currentAuditTail(base: string): AuditTail {
  const db = openDatabaseFile(base);
  try {
    return auditTail(db);
  } finally {
    db.close();
  }
}

/**
 * Puts a backup back in place of the base, atomically (a checked copy beside the base, then a rename). The base
 * being replaced becomes the newest backup, so a restore can itself be undone. A restore that would drop audit
 * entries written since the backup (decisions) is refused unless forced; so is one of a base that cannot be read.
 */
export function restoreBackup(dbPath: string, options: RestoreOptions = {}): RestoreResult {
  const base = resolve(dbPath);
  const source = options.backup ? resolve(options.backup) : listBackups(base)[0]?.path;
  if (!source) throw new ClientBaseError(`no backup of ${base} in ${backupFolder(base)}`);
  if (!existsSync(source)) throw new ClientBaseError(`backup not found: ${source}`);
  const backupTail = checkBackup(source);
  if (existsSync(base)) {
    let current: AuditTail | undefined;
    try {
      current = currentAuditTail(base);
    } catch (error) {
      if (!options.force)
        throw new ClientBaseError(`${(error as Error).message}; add --force to replace it anyway`);
    }
    if (current && current.entries > backupTail.entries && !options.force) {
      throw new ClientBaseError(
        `${base} holds ${current.entries - backupTail.entries} audit entries (decisions) written after the backup ${source}; restoring would drop them from the base (it would be kept as a backup). Add --force to restore anyway`,
      );
    }
  }
  if (baseInUse(base)) {
    throw new ClientBaseError(`${base} is in use by another program (its -wal file exists): close it first`);
  }
  const tmpPath = `${base}.restore-${process.pid}.tmp`;
  copyFileSync(source, tmpPath);
  let saved: Backup | undefined;
  try {
    syncFile(tmpPath);
    saved = backUpBase(base);
    renameSync(tmpPath, base);
  } catch (error) {
    rmSync(tmpPath, { force: true });
    if (saved) dropBackup(saved);
    throw error;
  }
  syncFolder(dirname(base));
  return { restored: source, savedAs: saved?.path };
}
