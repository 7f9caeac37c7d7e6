import type {
  ApiClient,
  ApiError,
  ApiInput,
  ApiMethod,
  ApiOutput,
  ApiResult,
  HttpApiHeaders,
} from '../../src-main/api/contract.ts';
import type { PrintToPdfOutput } from '../../src-main/api/bridge.ts';

/**
 * The renderer's only way to the application core. The transport is chosen once: IPC through the preload's
 * `window.scoringDesk.api` in the desktop app, else HTTP when the page is served by `scoring-desk serve`:
 * `POST api/<method>` with the input as JSON and the headers the server requires of its own page, answered 200
 * with the output, or 4xx/5xx with `{ error }`. Either way a call returns the method's typed output or throws an
 * ApiCallError carrying the contract's error code and message. Types come from the contract, never its code.
 */

const headers: HttpApiHeaders = { 'content-type': 'application/json', 'x-scoring-desk': '1' };

export class ApiCallError extends Error {
  override name = 'ApiCallError';

  constructor(
    readonly method: ApiMethod,
    readonly error: ApiError,
  ) {
    super(`${method}: ${error.message}`);
  }
}

function errorOf(body: unknown): ApiError | null {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? (error as ApiError) : null;
}

async function postJson(method: ApiMethod, input: unknown): Promise<ApiResult<unknown>> {
  let response: Response;
  try {
    response = await fetch(new URL(`api/${method}`, document.baseURI), {
      method: 'POST',
      headers,
      body: JSON.stringify(input ?? {}),
    });
  } catch (error) {
    return {
      ok: false,
      error: { code: 'internal', message: `the server cannot be reached (${String(error)})` },
    };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && body !== undefined) return { ok: true, value: body };
  return {
    ok: false,
    error: errorOf(body) ?? {
      code: 'internal',
      message: `the server answered ${response.status} without a result for ${method}`,
    },
  };
}

// Every method name maps to the same POST: the contract's method table is the route table.
const httpClient = new Proxy({} as ApiClient, {
  get: (_target, method: string) => (input: unknown) => postJson(method as ApiMethod, input),
});

const client: ApiClient = window.scoringDesk?.api ?? httpClient;

/** True in the desktop app, where printing goes through Electron's print-to-PDF. */
export const isDesktop = window.scoringDesk !== undefined;

/** Calls one API method: its output, or an ApiCallError with the contract's code and message. */
export async function callApi<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const call = client[method] as (input: ApiInput<M>) => Promise<ApiResult<ApiOutput<M>>>;
  const result = await call(input);
  if (!result.ok) throw new ApiCallError(method, result.error);
  return result.value;
}

/** Desktop app only: saves the page being shown (the sheet route) as a PDF; the main process logs the print. */
export async function printToPdf(traceId: string): Promise<PrintToPdfOutput> {
  const bridge = window.scoringDesk;
  if (bridge === undefined) throw new Error('printToPdf: only the desktop app prints to PDF');
  const result = await bridge.printToPdf({ traceId });
  if (!result.ok) throw new ApiCallError('logEvent', result.error);
  return result.value;
}

/** The contract's error of a failed call, or an 'internal' one for anything else. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiCallError) return error.error;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
