import type { IncomingMessage } from 'node:http';
import type { ApiError, HttpApiHeaders } from '../api/contract.ts';

/**
 * What an API request must show before the server reads it: that it comes from the app's own page (or from a
 * program), never from a page on another site the manager happens to have open. A browser lets any page send a
 * form or a `no-cors` fetch to any address, with the cookies of that address; it does not let it choose the
 * request's Origin or Sec-Fetch-Site, nor send a JSON content type or a custom header without a CORS preflight,
 * which this server never grants. So:
 *
 * - `Sec-Fetch-Site`, where the browser sends it, must be `same-origin` (or `none`: typed by the person);
 *   `same-site` is refused too, since a site on another port of the same host is "same site";
 * - `Origin`, where sent, must be the server's own (scheme, host and port of the request);
 * - a call carries `Content-Type: application/json` and `X-Scoring-Desk: 1` (HttpApiHeaders).
 */

export const API_HEADERS: HttpApiHeaders = { 'content-type': 'application/json', 'x-scoring-desk': '1' };
const MARK_HEADER = 'x-scoring-desk';

export interface Refusal {
  status: number;
  error: ApiError;
}

const forbidden = (message: string): Refusal => ({ status: 403, error: { code: 'forbidden', message } });

/** A header's value as sent, cut short: it goes into a message, and a hostile value may be long. */
const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** The origin the request was addressed to: its scheme and its Host header (already checked by the server). */
export function requestOrigin(request: IncomingMessage, secure: boolean): string {
  return `${secure ? 'https' : 'http'}://${request.headers.host ?? ''}`;
}

/** Refuses a request another site's page made. */
export function crossSiteRefusal(request: IncomingMessage, secure: boolean): Refusal | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return forbidden(
      `this API answers the Scoring Desk page it serves only; this request comes from another site (Sec-Fetch-Site: ${shown(site)})`,
    );
  }
  const origin = request.headers.origin;
  const own = requestOrigin(request, secure);
  if (origin !== undefined && origin !== own) {
    return forbidden(
      `this API answers the Scoring Desk page it serves only; this request comes from ${shown(origin)}, not ${own}`,
    );
  }
  return undefined;
}

/** Refuses a call without the JSON content type and the anti-forgery header. */
export function callRefusal(request: IncomingMessage, method: string): Refusal | undefined {
  const contentType = request.headers['content-type'];
  const [type, ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters.find((parameter) => parameter.startsWith('charset='));
  if (type !== API_HEADERS['content-type'] || (charset !== undefined && charset !== 'charset=utf-8')) {
    return {
      status: 415,
      error: {
        code: 'invalid_request',
        message: `${method} takes its input as JSON in UTF-8: send Content-Type: application/json (this request has ${contentType === undefined ? 'none' : shown(contentType)})`,
      },
    };
  }
  if (request.headers[MARK_HEADER] !== API_HEADERS[MARK_HEADER]) {
    return forbidden(
      `${method}: every API call carries the header X-Scoring-Desk: 1, which the app's page sends and a page on another site cannot`,
    );
  }
  return undefined;
}
