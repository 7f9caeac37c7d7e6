import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { useBaseKey } from '../data/baseKey.ts';
import { electronSqliteBinding, SQLITE_BINDING_ENV } from '../data/nativeBinding.ts';
import { ensureDemoBase, type DemoStep } from '../demo/demoBase.ts';
import { createServices, type Services } from '../services/index.ts';
import { lenderEnvVar } from '../services/lenderDetails.ts';
import { appBaseKey } from './baseKeyStore.ts';
import { versionArgument } from './bridge.ts';
import { clientBaseEnvVar, resolveClientBasePath, resolveModelDir } from './clientBasePath.ts';
import { registerIpcHandlers } from './ipc.ts';

/**
 * The Electron main process, the thinnest layer: the window and its security settings, the IPC handlers over the
 * services (src-main/electron/ipc.ts), print to PDF, where the client base and the model live, and the demo base
 * built on first start. Everything else runs in plain Node and is tested there.
 */

// Both live in the app folder (the repository in development, app.asar once packaged), where `npm run build`
// writes them.
const rendererPage = path.join(app.getAppPath(), 'dist', 'renderer', 'index.html');
const preloadScript = path.join(app.getAppPath(), 'dist', 'electron', 'preload.cjs');

const DEMO_STEPS: Record<DemoStep, string> = {
  generate: '1/4 generating clients',
  import: '2/4 importing',
  features: '3/4 computing features',
  scores: '4/4 scoring',
};

// The app is one local page: nothing it shows, runs or is tricked into running may open or load anything else.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => app.quit());

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    title: 'Scoring Desk',
    show: false,
    webPreferences: {
      preload: preloadScript,
      // Electron's defaults, stated so that a reviewer or a configuration scanner sees them.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      additionalArguments: [versionArgument(app.getVersion())],
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

function fail(message: string): never {
  dialog.showErrorBox('Scoring Desk', message);
  app.exit(1);
  throw new Error(message);
}

/** In development, Electron loads the Electron build of better-sqlite3 made by `npm install` (nativeBinding.ts). */
function useElectronSqliteBuild(): void {
  if (!process.versions.electron || app.isPackaged) return;
  const binding = electronSqliteBinding(app.getAppPath(), process.versions.electron);
  if (!existsSync(binding)) {
    fail(
      `The Electron build of better-sqlite3 is missing (${binding}). Run \`npm install\` again with internet access, ` +
        'or use `npm run serve` to open the app in a browser.',
    );
  }
  process.env[SQLITE_BINDING_ENV] = binding;
}

async function start(): Promise<void> {
  useElectronSqliteBuild();
  const context = {
    env: process.env,
    packaged: app.isPackaged,
    appPath: app.getAppPath(),
    userDataPath: app.getPath('userData'),
  };
  const clientBase = resolveClientBasePath(context);
  const modelDir = resolveModelDir(context);
  console.info(`Scoring Desk ${app.getVersion()}: client base ${clientBase}, model ${modelDir}`);

  await app.whenReady();
  // safeStorage answers only once the app is ready; every base opened from here on (the demo base too) uses it.
  try {
    useBaseKey(
      appBaseKey({
        env: process.env,
        packaged: app.isPackaged,
        userDataPath: app.getPath('userData'),
        safeStorage,
      }),
    );
  } catch (error) {
    fail(`The client base cannot be protected: ${(error as Error).message}`);
  }
  // No feature of the app needs the camera, notifications or any other browser permission, nor the network.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onBeforeRequest({ urls: ['*://*/*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );

  const window = createWindow();
  if (!existsSync(clientBase) && !process.env[clientBaseEnvVar]) {
    window.show();
    const built = await ensureDemoBase({
      dbPath: clientBase,
      modelDir,
      onProgress: ({ step, done, total }) => {
        window.setTitle(`Scoring Desk: preparing the demo client base, ${DEMO_STEPS[step]}`);
        window.setProgressBar(total > 0 ? done / total : 2);
      },
    });
    window.setProgressBar(-1);
    window.setTitle('Scoring Desk');
    console.info(`Demo client base built in ${(built.elapsedMs / 1000).toFixed(1)} s`);
  }

  let services: Services;
  try {
    services = await createServices({
      dbPath: clientBase,
      modelDir,
      lenderFile: process.env[lenderEnvVar] || undefined,
    });
  } catch (error) {
    fail(`Scoring Desk cannot open ${clientBase}: ${(error as Error).message}`);
  }
  const chain = services.context.audit.verify();
  if (!chain.ok) {
    dialog.showErrorBox(
      'Scoring Desk: audit log',
      `The audit log of ${clientBase} has been altered: entry ${chain.firstBreak?.seq} (${chain.firstBreak?.reason}). ` +
        'Tell your compliance officer before going on.',
    );
  }
  registerIpcHandlers(ipcMain, services, {
    pageUrl: pathToFileURL(rendererPage).href,
    pdfFolder: path.join(app.getPath('documents'), 'Scoring Desk'),
    onInternalError: (error) => console.error('Scoring Desk: internal error:', error),
  });
  app.on('will-quit', () => void services.close());

  // The page's Content-Security-Policy is a <meta> that vite.config.ts writes: a file:// page has no headers.
  window.loadFile(rendererPage).catch((error: unknown) => {
    fail(`Cannot load ${rendererPage} (${String(error)}). Run \`npm run build\`.`);
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
}

// Two instances would show the same client base side by side, each blind to the other's decisions.
if (app.requestSingleInstanceLock()) {
  await start();
} else {
  app.quit();
}
