import { closeSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { csvLine } from '../csv/csvCell.ts';
import type { Reject } from './rowConverter.ts';

/** The rejects report (file, line, column, value, reason), written beside its final name and renamed when done. */
export class RejectsReport {
  count = 0;
  private readonly fd: number;
  private readonly tmpPath: string;
  private pending: string[] = [];

  constructor(readonly path: string) {
    removeStaleReports(path);
    this.tmpPath = `${path}.${process.pid}.tmp`;
    // It quotes rejected rows, client data: readable by its owner only, like the key.
    this.fd = openSync(this.tmpPath, 'w', 0o600);
    writeSync(this.fd, 'file,line,column,value,reason\n');
  }

  add(rejects: Reject[]): void {
    for (const r of rejects) {
      this.pending.push(csvLine([r.file, r.line, r.column, r.value, r.reason]) + '\n');
    }
    this.count += rejects.length;
    if (this.pending.length >= 4096) this.flush();
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmpPath, this.path);
  }

  discard(): void {
    closeSync(this.fd);
    rmSync(this.tmpPath, { force: true });
  }

  private flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, this.pending.join(''));
    this.pending = [];
  }
}

/** Reports of imports killed mid-way were never renamed into place: they hold nothing of value. */
function removeStaleReports(path: string): void {
  const stale = new RegExp(`^${basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d+\\.tmp$`);
  for (const name of readdirSync(dirname(path))) {
    if (stale.test(name)) rmSync(join(dirname(path), name), { force: true });
  }
}
