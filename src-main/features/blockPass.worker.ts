import { parentPort, workerData } from 'node:worker_threads';
import { openDatabaseFile } from '../data/clientBase.ts';
import { writeBlock } from './blockPass.ts';
import { blocks } from './recipe.ts';
import { CLIENT_SET_TABLE } from './sql.ts';
import type { BlockJob, BlockReply, BlockRequest } from './blockPassMessages.ts';

/**
 * A batch worker: its own connection to the client base and its own scratch file; computes the blocks the main
 * thread hands it, one at a time, so the larger blocks spread over the cores.
 */

const job = workerData as BlockJob;
const port = parentPort!;
const post = (reply: BlockReply) => port.postMessage(reply);

const source = openDatabaseFile(job.dbPath, { key: job.key ?? null });
source.pragma('busy_timeout = 5000');
source.pragma(`cache_size = -${job.cacheKiB}`);
const scratch = openDatabaseFile(job.scratchPath, { create: true, key: job.key ?? null });
// A scratch file is thrown away after the run, or on failure: durability buys nothing.
scratch.pragma('journal_mode = OFF');
scratch.pragma('synchronous = OFF');
if (job.clients) {
  source.exec(`CREATE TEMP TABLE ${CLIENT_SET_TABLE.replace('temp.', '')} (SK_ID_CURR INTEGER PRIMARY KEY)`);
  const add = source.prepare(`INSERT INTO ${CLIENT_SET_TABLE} VALUES (?)`);
  source.transaction(() => job.clients!.forEach((id) => add.run(id)))();
}
// One read transaction for every block: all see the same state of the base.
source.exec('BEGIN');
source.prepare('SELECT 1 FROM application LIMIT 1').get();

port.on('message', (request: BlockRequest) => {
  if (request.type === 'close') {
    source.exec('COMMIT');
    source.close();
    scratch.close();
    port.close();
    return;
  }
  try {
    const block = blocks.find((b) => b.name === request.block)!;
    const started = performance.now();
    const clients = writeBlock(source, scratch, block, job.clients ? { kind: 'set' } : { kind: 'all' });
    post({ type: 'done', block: block.name, clients, ms: performance.now() - started });
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
});
post({ type: 'ready' });
