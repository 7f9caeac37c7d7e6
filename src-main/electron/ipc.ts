import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ApiResult } from '../api/contract.ts';
import { ApiFailure } from '../api/apiFailure.ts';
import { describeIssues, dispatch, toApiError } from '../api/dispatch.ts';
import type { Services } from '../services/index.ts';
import type { PrintToPdfOutput } from '../api/bridge.ts';
import { ipcChannels } from './bridge.ts';

/**
 * The Electron transport: one handler per channel, generic over the contract (the method name travels with the
 * input and goes through the same dispatch as HTTP), and print to PDF. Every message is answered only when it
 * comes from the app's own page in the main frame; anything else gets a typed error and reaches no service.
 * Kept free of the `electron` module itself (it receives ipcMain and the page's address), so it is tested in Node.
 */

/** The part of a frame the sender check reads (Electron's WebFrameMain). */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** The part of an IPC event the handlers read (Electron's IpcMainInvokeEvent). */
export interface InvokeEvent {
  senderFrame: SenderFrame | null;
  sender: { printToPDF(options: Record<string, unknown>): Promise<Buffer> };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
}

export interface IpcOptions {
  /** file:// address of the renderer page: the only sender answered. */
  pageUrl: string;
  /** Folder the printed sheets are saved in. */
  pdfFolder: string;
  onInternalError: (error: unknown) => void;
}

/** Trace ids are UUIDs: checked as such before one becomes part of a file name. */
const printToPdfInput = z.strictObject({ traceId: z.uuid() });

export function isTrustedSender(frame: SenderFrame | null, pageUrl: string): boolean {
  // The main frame only (no iframe), showing our page (whatever its #route).
  return frame !== null && !frame.parent && frame.url.split('#')[0] === pageUrl;
}

const untrusted = (channel: string): ApiResult<never> => ({
  ok: false,
  error: { code: 'invalid_request', message: `${channel} answers the Scoring Desk page only` },
});

export function registerIpcHandlers(ipcMain: IpcMainLike, services: Services, options: IpcOptions): void {
  ipcMain.handle(ipcChannels.api, async (event, method, input) => {
    if (!isTrustedSender(event.senderFrame, options.pageUrl)) return untrusted(ipcChannels.api);
    return dispatch(
      services.handlers,
      typeof method === 'string' ? method : '',
      input,
      options.onInternalError,
    );
  });

  ipcMain.handle(ipcChannels.printToPdf, async (event, raw): Promise<ApiResult<PrintToPdfOutput>> => {
    if (!isTrustedSender(event.senderFrame, options.pageUrl)) return untrusted(ipcChannels.printToPdf);
    try {
      const parsed = printToPdfInput.safeParse(raw);
      if (!parsed.success) {
        throw new ApiFailure('invalid_request', describeIssues('printToPdf', parsed.error.issues));
      }
      const { traceId } = parsed.data;
      const saved = await services.savePrintedSheet(traceId, async () => {
        const pdf = await event.sender.printToPDF({
          pageSize: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
        });
        mkdirSync(options.pdfFolder, { recursive: true });
        const path = join(options.pdfFolder, `scoring-desk-${traceId}.pdf`);
        writeFileSync(path, pdf);
        return { path, bytes: pdf.length };
      });
      return { ok: true, value: saved };
    } catch (error) {
      return { ok: false, error: toApiError(error, options.onInternalError) };
    }
  });
}
