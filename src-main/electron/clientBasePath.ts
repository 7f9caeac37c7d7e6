import path from 'node:path';

/** The demo client base, relative to the application folder; `npm start` creates it when it is missing. */
export const demoClientBase = path.join('data', 'demo', 'client-base.sqlite');

/** Environment variable that points the app at another client base (a real import, a test fixture). */
export const clientBaseEnvVar = 'SCORING_DESK_DB';

export interface ClientBaseContext {
  env: Record<string, string | undefined>;
  /** `app.isPackaged`: an installed app has no demo folder beside it and must not write inside its own files. */
  packaged: boolean;
  /** `app.getAppPath()`: the repository in development, the asar archive once packaged. */
  appPath: string;
  /** `app.getPath('userData')`: the per-user folder the operating system gives the app. */
  userDataPath: string;
}

/** Which client base file the app opens; kept free of Electron so it runs and is tested under plain Node. */
export function resolveClientBasePath(context: ClientBaseContext): string {
  const fromEnv = context.env[clientBaseEnvVar];
  if (fromEnv) return path.resolve(fromEnv);
  return context.packaged
    ? path.join(context.userDataPath, 'client-base.sqlite')
    : path.join(context.appPath, demoClientBase);
}

/** Environment variable that points the app at another model folder (default: models/ in the app folder). */
export const modelEnvVar = 'SCORING_DESK_MODEL';

export function resolveModelDir(context: Pick<ClientBaseContext, 'env' | 'appPath'>): string {
  const fromEnv = context.env[modelEnvVar];
  return fromEnv ? path.resolve(fromEnv) : path.join(context.appPath, 'models');
}
