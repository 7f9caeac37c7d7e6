import { describe, expect, it, vi } from 'vitest';
import { apiMethods } from '../../../src-main/api/contract.ts';
import type { ScoringDeskBridge } from '../../../src-main/api/bridge.ts';
import { ipcChannels, versionArgument } from '../../../src-main/electron/bridge.ts';

/** The preload, against a stand-in for `electron`: what it exposes to the page, and where each call goes. */
const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (...args: unknown[]) => ({ ok: true, value: args })),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => fake.exposed.set(key, value) },
  ipcRenderer: { invoke: fake.invoke },
}));

describe('preload', () => {
  it('exposes window.scoringDesk only: the version, every method of the contract, and print to PDF', async () => {
    process.argv.push(versionArgument('1.2.3'));
    await import('../../../src-main/electron/preload.ts');
    expect([...fake.exposed.keys()]).toEqual(['scoringDesk']);
    const bridge = fake.exposed.get('scoringDesk') as ScoringDeskBridge;
    expect(bridge.version).toBe('1.2.3');
    expect(Object.keys(bridge.api).sort()).toEqual([...apiMethods].sort());
    expect(Object.keys(bridge).sort()).toEqual(['api', 'printToPdf', 'version']);
    for (const method of apiMethods) {
      await (bridge.api[method] as (input: unknown) => Promise<unknown>)({ probe: method });
      expect(fake.invoke).toHaveBeenLastCalledWith(ipcChannels.api, method, { probe: method });
    }
    await bridge.printToPdf({ traceId: 'abc' });
    expect(fake.invoke).toHaveBeenLastCalledWith(ipcChannels.printToPdf, { traceId: 'abc' });
  });
});
