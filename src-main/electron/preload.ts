import { contextBridge, ipcRenderer } from 'electron';
import type { ApiClient } from '../api/contract.ts';
import { apiMethodNames } from '../api/methods.ts';
import type { ScoringDeskBridge } from '../api/bridge.ts';
import { ipcChannels, readVersionArgument } from './bridge.ts';

// One function per method of the contract, all through one channel: the page gets no ipcRenderer of its own, so
// it can call nothing but these.
const api = Object.fromEntries(
  apiMethodNames.map((method) => [
    method,
    (input: unknown) => ipcRenderer.invoke(ipcChannels.api, method, input),
  ]),
) as ApiClient;

const bridge: ScoringDeskBridge = {
  version: readVersionArgument(process.argv),
  api,
  printToPdf: (input) => ipcRenderer.invoke(ipcChannels.printToPdf, input),
};

contextBridge.exposeInMainWorld('scoringDesk', bridge);
