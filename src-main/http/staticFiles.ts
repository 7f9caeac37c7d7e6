import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The built renderer (vite build output, dist/renderer) as the HTTP server serves it: files read from the folder
 * only (no path may leave it), the content type from the extension, and the page's own Content-Security-Policy
 * (the <meta> vite.config.ts writes) also sent as a header, so the policy is declared once.
 */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const ENTITIES: Record<string, string> = {
  '&#39;': "'",
  '&quot;': '"',
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
};

/** An HTML attribute value as written by vite: quotes and brackets escaped as entities. */
function decodeAttribute(value: string): string {
  return value.replace(/&#39;|&quot;|&lt;|&gt;|&amp;/g, (entity) => ENTITIES[entity]!);
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Vite names assets by content hash: they never change under the same name. */
  immutable: boolean;
}

export class StaticFiles {
  readonly contentSecurityPolicy: string | undefined;
  private readonly root: string;

  constructor(root: string) {
    this.root = normalize(root);
    const index = join(this.root, 'index.html');
    const html = existsSync(index) ? readFileSync(index, 'utf8') : '';
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/i.exec(html)?.[1];
    this.contentSecurityPolicy = meta === undefined ? undefined : decodeAttribute(meta);
  }

  get available(): boolean {
    return existsSync(join(this.root, 'index.html'));
  }

  /** The file a URL path names; the page itself for '/' (the app routes with the URL hash). */
  read(urlPath: string): StaticFile | undefined {
    let relative: string;
    try {
      relative = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    if (relative.includes('\0')) return undefined;
    if (relative === '/' || relative === '') relative = '/index.html';
    const path = normalize(join(this.root, relative));
    if (path !== this.root && !path.startsWith(this.root + sep)) return undefined;
    try {
      if (!statSync(path).isFile()) return undefined;
    } catch {
      return undefined;
    }
    return {
      body: readFileSync(path),
      contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      immutable: relative.startsWith('/assets/'),
    };
  }
}
