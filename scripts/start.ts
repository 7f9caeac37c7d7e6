import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { demoProgress } from '../src-main/cli/demoProgress.ts';
import { ensureDemoBase } from '../src-main/demo/demoBase.ts';
import { clientBaseEnvVar, demoClientBase, modelEnvVar } from '../src-main/electron/clientBasePath.ts';
import { startAppServer } from '../src-main/http/appServer.ts';

/**
 * `npm start` (after `npm run build`): builds the demo client base on first use, with its progress, then opens
 * the desktop app on it; where the Electron binary is not installed, says so and serves the same app on
 * localhost instead.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const PORT = 8080;

function electronBinary(): string | undefined {
  try {
    // The electron package's main module is the path of its binary, and throws when the binary is missing.
    const binary = require('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const dbPath = process.env[clientBaseEnvVar] ?? `${root}${demoClientBase}`;
const modelDir = process.env[modelEnvVar] ?? `${root}models`;
if (!process.env[clientBaseEnvVar]) {
  const progress = demoProgress();
  const built = await ensureDemoBase({ dbPath, modelDir, onProgress: progress.onProgress });
  progress.stop();
  console.info(
    built.created
      ? `Demo client base built in ${(built.elapsedMs / 1000).toFixed(1)} s: ${dbPath}`
      : `Demo client base: ${dbPath}`,
  );
}

const electron = electronBinary();
if (electron) {
  const child = spawn(electron, ['.'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, [clientBaseEnvVar]: dbPath },
  });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  console.info(
    'The Electron binary is not installed on this machine (it is downloaded by `npm install` with internet access):\n' +
      `serving the same app on http://127.0.0.1:${PORT}/ instead. Open it in a browser; Ctrl+C stops it.`,
  );
  const app = await startAppServer({
    dbPath,
    modelDir,
    host: '127.0.0.1',
    port: PORT,
    staticDir: `${root}dist/renderer`,
    log: (message) => console.info(message),
  });
  console.info(`Scoring Desk: ${app.url}/`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
