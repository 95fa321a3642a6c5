// A 2-D view of a layer coloured by label (the paper's Figure 2): its first two principal
// components at once (computed by the core), and UMAP on request (umap-js, in its own worker).
import { classColors } from './learn/plane.js';

const maxUmapSamples = 5000;  // UMAP in JavaScript grows faster than linearly; beyond this, subsample

export function layerView({ getProbe, layer, labels }) {
  const element = document.createElement('figure');
  element.className = 'card layer-view';
  element.dataset.testid = 'layer-view';
  element.innerHTML = `
    <figcaption><h3>2-D view</h3>
      <div class="inline-controls" role="group" aria-label="Projection">
        <button type="button" data-method="pca" aria-pressed="true">PCA</button>
        <button type="button" data-method="umap" aria-pressed="false">UMAP</button>
      </div>
    </figcaption>
    <canvas role="img" aria-label="2-D view of the layer coloured by label"></canvas>
    <p class="caption" aria-live="polite"></p>`;
  const canvas = element.querySelector('canvas');
  const caption = element.querySelector('.caption');
  let umapWorker = null;

  function draw(coordinates) {
    const size = Math.max(220, Math.min(element.clientWidth - 32 || 360, 420));
    const ratio = window.devicePixelRatio || 1;
    canvas.width = size * ratio;
    canvas.height = size * ratio;
    canvas.style.width = `${size}px`;
    canvas.style.height = `${size}px`;
    const context = canvas.getContext('2d');
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < coordinates.length; i += 2) {
      minX = Math.min(minX, coordinates[i]); maxX = Math.max(maxX, coordinates[i]);
      minY = Math.min(minY, coordinates[i + 1]); maxY = Math.max(maxY, coordinates[i + 1]);
    }
    const pad = 8, spanX = maxX - minX || 1, spanY = maxY - minY || 1;
    const colors = classColors(canvas);
    const classOf = new Map();
    for (const l of labels) if (!classOf.has(l)) classOf.set(l, classOf.size);
    context.clearRect(0, 0, size, size);
    for (let i = 0; i < coordinates.length / 2; ++i) {
      context.fillStyle = colors[classOf.get(labels[i]) % colors.length];
      context.beginPath();
      context.arc(pad + ((coordinates[2 * i] - minX) / spanX) * (size - 2 * pad), size - pad - ((coordinates[2 * i + 1] - minY) / spanY) * (size - 2 * pad), 2, 0, 2 * Math.PI);
      context.fill();
    }
    element.dataset.drawn = 'true';
  }

  function press(method) {
    for (const button of element.querySelectorAll('[data-method]')) button.setAttribute('aria-pressed', String(button.dataset.method === method));
  }

  async function pca() {
    press('pca');
    caption.textContent = 'Computing the principal components…';
    try {
      const probe = await getProbe();
      const view = await probe.project({ name: layer.name, data: layer.data, shape: layer.shape });
      draw(view.coordinates);
      caption.textContent = `First two principal components of the normalised layer (${(100 * (view.explained[0] + view.explained[1])).toFixed(1)} % of the variance), coloured by label.`;
    } catch (error) {
      caption.textContent = `The 2-D view failed: ${error.message}`;
    }
  }

  function umap() {
    press('umap');
    if (umapWorker) umapWorker.terminate();
    const [n, d] = layer.shape;
    // Seeded subsample of rows when the layer is large (every k-th row: deterministic, unbiased in order).
    const step = Math.ceil(n / maxUmapSamples);
    const rows = Math.ceil(n / step);
    const data = new Float32Array(rows * d);
    const subLabels = new Int32Array(rows);
    for (let r = 0; r < rows; ++r) {
      data.set(layer.data.subarray(r * step * d, (r * step + 1) * d), r * d);
      subLabels[r] = labels[r * step];
    }
    umapWorker = new Worker(new URL('./umap-worker.js', import.meta.url), { type: 'module' });
    caption.textContent = 'UMAP is running in a worker…';
    umapWorker.onmessage = (event) => {
      const message = event.data;
      if (message.type === 'progress') caption.textContent = `UMAP is running in a worker… ${Math.round(100 * message.fraction)} %`;
      else if (message.type === 'error') caption.textContent = `UMAP failed: ${message.message}`;
      else {
        const saved = labels;
        labels = subLabels;
        draw(message.coordinates);
        labels = saved;
        caption.textContent = `UMAP of the layer (umap-js, 15 neighbours, seed 0${step > 1 ? `, every ${step}th of ${n} samples` : ''}), coloured by label.`;
        umapWorker.terminate();
        umapWorker = null;
      }
    };
    umapWorker.postMessage({ data, shape: [rows, d], seed: 0 });
  }

  element.querySelector('[data-method="pca"]').addEventListener('click', pca);
  element.querySelector('[data-method="umap"]').addEventListener('click', umap);
  pca();
  return {
    element,
    close() {
      if (umapWorker) umapWorker.terminate();
    },
  };
}
