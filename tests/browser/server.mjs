// A static server for the browser tests: serves the API module, the WebAssembly builds and the
// test page, with or without the cross-origin isolation headers that WebAssembly threads need.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const served = ['src/js/', 'build/wasm/', 'node_modules/wasm-feature-detect/', 'tests/browser/', 'tests/fixtures/'];
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.npz': 'application/octet-stream' };

export function serve({ isolated }) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.join(root, relative);
    if (!served.some((prefix) => relative.startsWith(prefix)) || !file.startsWith(root) || !fs.existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    const headers = { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    response.writeHead(200, headers);
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
