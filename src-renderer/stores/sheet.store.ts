import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  ApiOutput,
  ClientFile,
  DecisionRecord,
  Lang,
  OfferEdits,
  WhatIf,
} from '../../src-main/api/contract.ts';
import { callApi, isDesktop, printToPdf } from '../api/client.ts';
import { requestState } from './request.ts';
import { offerEdits } from './whatIfLevers.ts';

export interface SheetData {
  file: ClientFile;
  /** The offer on the sheet (decided, else discussed), scored and explained, with what would change the opinion. */
  offer: WhatIf;
  history: ApiOutput<'getClientHistory'>;
  /** The decision in force; null while the application is pending. */
  latest: DecisionRecord | null;
}

/**
 * The explanation sheet handed to the client, in the client's language (which may differ from the screen's), and
 * its printing: each print is first logged, and the trace id the log returns is printed on the sheet. The sheet is
 * about one offer: the one decided when there is a decision, else the one under discussion.
 */
export const useSheetStore = defineStore('sheet', () => {
  const sheet = requestState<SheetData>();
  const printing = requestState<{ traceId: string; savedTo: string | null }>();
  const traceId = ref<string | null>(null);

  function load(clientId: number, lang: Lang, discussed: OfferEdits): Promise<unknown> {
    traceId.value = null;
    return sheet.run(async () => {
      const [file, history] = await Promise.all([
        callApi('getClientFile', { clientId, lang }),
        callApi('getClientHistory', { clientId }),
      ]);
      const latest = history.decisions.reduce<DecisionRecord | null>(
        (newest, decision) => (newest === null || decision.id > newest.id ? decision : newest),
        null,
      );
      const edits = latest?.offer ? offerEdits(latest.offer) : latest ? {} : discussed;
      const offer = await callApi('whatIf', { clientId, lang, edits, counterfactuals: true });
      return { file, offer, history, latest };
    });
  }

  /**
   * Logs the print, shows its trace id on the sheet, then prints: to PDF through Electron in the app, through the
   * browser's print dialog otherwise. `render` must resolve once the trace id is on the page.
   */
  function print(clientId: number, lang: Lang, render: () => Promise<void>): Promise<unknown> {
    return printing.run(async () => {
      const logged = await callApi('logEvent', { clientId, kind: 'print', lang, view: 'explanation-sheet' });
      traceId.value = logged.traceId;
      await render();
      if (isDesktop) {
        const saved = await printToPdf(logged.traceId);
        return { traceId: logged.traceId, savedTo: saved.path };
      }
      window.print();
      return { traceId: logged.traceId, savedTo: null };
    });
  }

  return {
    sheet: sheet.data,
    loading: sheet.loading,
    error: sheet.error,
    traceId,
    printed: printing.data,
    printing: printing.loading,
    printError: printing.error,
    load,
    print,
  };
});
