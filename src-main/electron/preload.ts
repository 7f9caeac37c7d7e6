import { contextBridge } from 'electron';
import { readVersionArgument, type ScoringDeskBridge } from './bridge.ts';

const bridge: ScoringDeskBridge = {
  version: readVersionArgument(process.argv),
};

contextBridge.exposeInMainWorld('scoringDesk', bridge);
