import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  modelEnvVar,
  resolveClientBasePath,
  resolveModelDir,
} from '../../../src-main/electron/clientBasePath.ts';

const context = { appPath: '/opt/scoring-desk', userDataPath: '/home/anne/.config/Scoring Desk' };

describe('resolveClientBasePath', () => {
  it('opens the demo base of the checkout in development', () => {
    expect(resolveClientBasePath({ ...context, env: {}, packaged: false })).toBe(
      path.join('/opt/scoring-desk', 'data', 'demo', 'client-base.sqlite'),
    );
  });

  it('keeps the base of an installed app in the user data folder', () => {
    expect(resolveClientBasePath({ ...context, env: {}, packaged: true })).toBe(
      path.join('/home/anne/.config/Scoring Desk', 'client-base.sqlite'),
    );
  });

  it('lets SCORING_DESK_DB choose the base, relative to the working directory', () => {
    for (const packaged of [false, true]) {
      expect(
        resolveClientBasePath({ ...context, env: { SCORING_DESK_DB: 'bases/real.sqlite' }, packaged }),
      ).toBe(path.resolve('bases/real.sqlite'));
    }
  });
});

describe('model folder', () => {
  it('is models/ in the app folder unless SCORING_DESK_MODEL names another', () => {
    expect(resolveModelDir({ env: {}, appPath: '/opt/app' })).toBe(path.join('/opt/app', 'models'));
    expect(resolveModelDir({ env: { [modelEnvVar]: 'elsewhere/model' }, appPath: '/opt/app' })).toBe(
      path.resolve('elsewhere/model'),
    );
  });
});
