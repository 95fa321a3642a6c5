// The web app: a static site (web/) on the sparsity-probe JavaScript API. WebAssembly threads need
// cross-origin isolation, so the dev and preview servers send COOP/COEP; any other static host
// serves the single-threaded build and the page says so.
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: 'public',
  resolve: { alias: { 'sparsity-probe': fileURLToPath(new URL('../src/js/index.mjs', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('../dist', import.meta.url)), emptyOutDir: true, target: 'es2022' },
  server: { headers: isolation, fs: { allow: ['..'] } },
  preview: { headers: isolation },
});
