// α* per layer for every loaded model, with the min–max band across seeds (the paper's Figures
// 5–12). x is the layer's position in its model, so models of different depth overlay; the ticks
// show the layer names where the models agree on them. The legend is drawn inside the SVG so that
// the exported SVG and PNG carry it.
import { Plot } from '../charts.js';

const legendRow = 18;

export function alphaChart(models, { width = 700, height = 320 } = {}) {
  const points = [];
  const names = new Map();  // position -> set of layer names there
  for (const model of models) {
    model.layers.forEach((layer, index) => {
      const r = layer.result;
      if (!r) return;
      const position = index + 1;
      if (!names.has(position)) names.set(position, new Set());
      names.get(position).add(layer.name);
      // Undetermined layers stay in as NaN: the line breaks there instead of bridging the gap.
      const ok = r.status === 'ok';
      points.push({ model: model.name, position, layer: layer.name, alpha: ok ? r.alpha : NaN,
        low: ok ? r.alpha_min : NaN, high: ok ? r.alpha_max : NaN, std: r.alpha_std });
    });
  }
  const last = Math.max(1, ...names.keys());
  const step = Math.ceil(last / (width < 500 ? 8 : 16));
  const ticks = [];
  for (let position = 1; position <= last; position += step) ticks.push(position);
  // Names on the axis when every position has one name (one model, or models with the same
  // layers); otherwise positions, and the names are in each dot's tooltip.
  const named = [...names.values()].every((here) => here.size === 1);
  const tickLabel = (position) => (named && names.has(position) ? [...names.get(position)][0] : String(position));
  const longest = Math.max(...ticks.map((p) => tickLabel(p).length));
  const rotate = longest * 6.5 > (width - 80) / ticks.length;

  const legend = legendLayout(models.map((m) => m.name), width - 60);
  const marginTop = 28 + legend.rows * legendRow;
  const marginBottom = rotate ? Math.min(120, 30 + longest * 5) : 40;
  return Plot.plot({
    width, height: height + legend.rows * legendRow + (rotate ? marginBottom - 40 : 0),
    marginLeft: 56, marginRight: 24, marginTop, marginBottom,
    x: { label: named ? null : 'layer (position in its model)', labelAnchor: 'right', domain: last === 1 ? [0.8, 1.2] : [1, last], inset: 24, ticks, tickFormat: tickLabel, tickRotate: rotate ? -35 : 0 },
    y: { label: 'α*', grid: true, nice: true },
    color: { type: 'categorical', domain: models.map((m) => m.name) },
    marks: [
      Plot.areaY(points, { x: 'position', y1: 'low', y2: 'high', fill: 'model', fillOpacity: 0.2, curve: 'linear' }),
      Plot.line(points, { x: 'position', y: 'alpha', stroke: 'model', strokeWidth: 2 }),
      Plot.dot(points, { x: 'position', y: 'alpha', fill: 'model', r: 3.5,
        title: (p) => `${p.model} · ${p.layer}\nα* = ${p.alpha.toFixed(3)} ± ${p.std.toFixed(3)} (seeds ${p.low.toFixed(3)} to ${p.high.toFixed(3)})` }),
      // The legend: a swatch and a name per model, in the top margin.
      ...legend.items.flatMap(({ name, dx, row }) => [
        Plot.dot([name], { fill: (d) => d, frameAnchor: 'top-left', dx: dx + 5, dy: -marginTop + 12 + row * legendRow, r: 5, symbol: 'square' }),
        Plot.text([name], { text: (d) => d, frameAnchor: 'top-left', dx: dx + 14, dy: -marginTop + 12 + row * legendRow, textAnchor: 'start', lineAnchor: 'middle', fontSize: 12 }),
      ]),
    ],
  });
}

// Places legend entries left to right, wrapping to a new row when the width runs out.
function legendLayout(names, width) {
  const items = [];
  let dx = 0, row = 0;
  for (const name of names) {
    const size = 24 + 7 * name.length;
    if (dx > 0 && dx + size > width) {
      dx = 0;
      row += 1;
    }
    items.push({ name, dx, row });
    dx += size;
  }
  return { items, rows: names.length ? row + 1 : 0 };
}
