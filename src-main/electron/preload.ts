import { contextBridge, ipcRenderer } from 'electron';
import { apiMethods, type ApiClient } from '../api/contract.ts';
import { ipcChannels, readVersionArgument, type ScoringDeskBridge } from './bridge.ts';

// One function per method of the contract, all through one channel: the page gets no ipcRenderer of its own, so
// it can call nothing but these.
const api = Object.fromEntries(
  apiMethods.map((method) => [
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
