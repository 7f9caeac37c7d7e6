import type { ScoringDeskBridge } from '../src-main/api/bridge.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the UI is served over HTTP. */
    readonly scoringDesk?: ScoringDeskBridge;
  }
}
