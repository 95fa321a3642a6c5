// α* per layer for every loaded model, with the min–max band across seeds (the paper's Figures
// 5–12): x is the layer's position in its model, so models of different depth overlay.
import { Plot } from '../charts.js';

export function alphaChart(models, { width = 700, height = 320 } = {}) {
  const points = [];
  for (const model of models) {
    model.layers.forEach((layer, index) => {
      const r = layer.result;
      if (!r || r.status !== 'ok') return;
      points.push({ model: model.name, position: index + 1, layer: layer.name, alpha: r.alpha, low: r.alpha_min, high: r.alpha_max });
    });
  }
  return Plot.plot({
    width, height, marginLeft: 52, marginBottom: 40,
    x: { label: 'layer (position in the model)', ticks: layerTicks(points), tickFormat: 'd' },
    y: { label: 'α*', grid: true, nice: true },
    color: { legend: true, type: 'categorical' },
    marks: [
      Plot.areaY(points, { x: 'position', y1: 'low', y2: 'high', fill: 'model', fillOpacity: 0.18, curve: 'linear' }),
      Plot.line(points, { x: 'position', y: 'alpha', stroke: 'model', strokeWidth: 2 }),
      Plot.dot(points, { x: 'position', y: 'alpha', fill: 'model', r: 3.5, title: (p) => `${p.model} · ${p.layer}: α* = ${p.alpha.toFixed(3)} (${p.low.toFixed(3)}–${p.high.toFixed(3)})` }),
    ],
  });
}

// Whole-number ticks, at most about 12 of them.
function layerTicks(points) {
  const last = Math.max(1, ...points.map((p) => p.position));
  const step = Math.ceil(last / 12);
  const ticks = [];
  for (let position = 1; position <= last; position += step) ticks.push(position);
  return ticks;
}
