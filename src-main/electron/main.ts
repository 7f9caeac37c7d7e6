import { app, BrowserWindow, dialog, session } from 'electron';
import path from 'node:path';
import { versionArgument } from './bridge.ts';
import { resolveClientBasePath } from './clientBasePath.ts';

// Both live in the app folder (the repository in development, app.asar once packaged), where `npm run build`
// writes them.
const rendererPage = path.join(app.getAppPath(), 'dist', 'renderer', 'index.html');
const preloadScript = path.join(app.getAppPath(), 'dist', 'electron', 'preload.cjs');

// The app is one local page: nothing it shows, runs or is tricked into running may open or load anything else.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
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
  // The page's Content-Security-Policy is a <meta> that vite.config.ts writes: a file:// page has no headers.
  window.loadFile(rendererPage).catch((error: unknown) => {
    dialog.showErrorBox(
      'Scoring Desk',
      `Cannot load ${rendererPage} (${String(error)}). Run \`npm run build\`.`,
    );
    app.exit(1);
  });
  return window;
}

async function start(): Promise<void> {
  const clientBase = resolveClientBasePath({
    env: process.env,
    packaged: app.isPackaged,
    appPath: app.getAppPath(),
    userDataPath: app.getPath('userData'),
  });
  console.info(`Scoring Desk ${app.getVersion()}: client base ${clientBase}`);

  await app.whenReady();
  // No feature of the app needs the camera, notifications or any other browser permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const window = createWindow();
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
