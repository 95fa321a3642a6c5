// The paper's Table 2 for the user's models: Pearson r between α* and each diagnostic across a
// model's layers (shown once the diagnostics ran on three layers or more).
import { fmt, h } from './dom.js';

const keys = [
  ['linear held-out accuracy', (d) => d.linear_probe.heldout_accuracy], ['ARI', (d) => d.kmeans.adjusted_rand],
  ['AMI', (d) => d.kmeans.adjusted_mutual_information], ['homogeneity', (d) => d.kmeans.homogeneity],
  ['completeness', (d) => d.kmeans.completeness], ['Fowlkes–Mallows', (d) => d.kmeans.fowlkes_mallows],
  ['NCC mismatch', (d) => d.ncc_mismatch]];

export function renderCorrelations(section, models) {
  const rows = [];
  for (const model of models) {
    const layers = model.layers.filter((l) => l.result?.status === 'ok' && l.result.diagnostics);
    if (layers.length < 3) continue;
    const alpha = layers.map((l) => l.result.alpha);
    rows.push(h('tr', {}, h('th', { scope: 'row' }, model.name),
      keys.map(([, get]) => h('td', { class: 'num' }, fmt(pearson(alpha, layers.map((l) => get(l.result.diagnostics))), 2)))));
  }
  section.hidden = rows.length === 0;
  section.replaceChildren(
    h('h2', {}, 'Correlation of α* with each diagnostic across layers (Pearson r)'),
    h('div', { class: 'table-scroll' }, h('table', { dataset: { testid: 'correlations' } },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Model'), keys.map(([name]) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, rows))),
    h('p', { class: 'caption' }, 'As in the paper\'s Table 2: how closely each classic way of judging a layer follows α* through the network (1: together, −1: opposite).'));
}

function pearson(x, y) {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : NaN;
}
