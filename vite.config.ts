import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The Content-Security-Policy of the built page. Electron loads it from file://, where no response header can
 * carry one, hence a <meta>. Scripts and styles come only from the bundle: nothing inline, nothing remote.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

// Build only: the dev server injects inline styles for hot reloading, which this policy forbids.
const contentSecurityPolicyMeta: Plugin = {
  name: 'scoring-desk:content-security-policy',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
      injectTo: 'head-prepend',
    },
  ],
};

/** The renderer: built into dist/renderer, which Electron loads from file:// and the HTTP server serves. */
export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  // Relative asset URLs, so that the page works from file:// as well as from any HTTP path.
  base: './',
  plugins: [vue(), contentSecurityPolicyMeta],
  define: {
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: true,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
  },
});
