// Serves the API module, the WebAssembly builds and the API test page for tests/js/browser.test.mjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { serveStatic } from '../static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const allow = ['src/js/', 'build/wasm/', 'node_modules/wasm-feature-detect/', 'tests/browser/', 'tests/fixtures/'];

export function serve({ isolated }) {
  return serveStatic({ root, isolated, allow });
}
