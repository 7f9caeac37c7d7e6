import { describe, expect, it } from 'vitest';
import { readVersionArgument, versionArgument } from '../../../src-main/electron/bridge.ts';

describe('version hand-over from the main process to the preload', () => {
  it('reads back the version among the renderer arguments', () => {
    const argv = ['/opt/Scoring Desk/scoring-desk', '--type=renderer', versionArgument('1.2.3-beta.1')];
    expect(readVersionArgument(argv)).toBe('1.2.3-beta.1');
  });

  it('fails loudly when the switch is missing', () => {
    expect(() => readVersionArgument(['--type=renderer'])).toThrow(/--scoring-desk-version=/);
  });
});
