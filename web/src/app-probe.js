// One probe for the whole page, shared by both views. The WebAssembly files are served from
// ./wasm/ (copied there by scripts/build-web.sh).
import { createProbe } from 'sparsity-probe';

let probePromise = null;

export function getProbe() {
  if (!probePromise) probePromise = createProbe({ threads: 'auto', moduleBaseUrl: new URL('wasm/', document.baseURI) });
  return probePromise;
}

// A short line for the header: which build runs, and why.
export function describeEngine(probe) {
  if (probe.build === 'threads') return `WebAssembly, ${probe.threads} threads`;
  return self.crossOriginIsolated
    ? 'WebAssembly, single-threaded (this browser lacks WebAssembly threads)'
    : 'WebAssembly, single-threaded: this page is not cross-origin isolated (serve it with COOP/COEP headers, as npm start does, for threads)';
}
