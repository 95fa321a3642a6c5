// One layer in detail: its N_τ curve, the angle of N′_τ with the ε band and τ*, the M-term error
// with its fitted rate, the per-seed numbers, and (when the activations are loaded, not just
// results) a 2-D view coloured by label.
import { chartCard } from '../charts.js';
import { angleBand, angleChart, mtermChart, tauChart } from '../curves.js';
import { layerView } from '../layer-view.js';
import { fmt, h } from './dom.js';

export function layerDetail({ model, layer, getProbe, onClose }) {
  const r = layer.result;
  const settings = model.settings;
  const [low, high] = angleBand(settings);
  const unit = settings.eps_unit === 'deg' ? '°' : ' rad';
  const file = `${model.name}-${layer.name}`.replace(/[^\w.-]+/g, '_');

  const close = h('button', { type: 'button', onclick: onClose }, 'Close');
  const summary = h('dl', { class: 'layer-summary' },
    item('α*', r.status === 'ok' ? `${fmt(r.alpha)} ± ${fmt(r.alpha_std)} (seeds: ${r.alpha_per_seed.map((a) => fmt(a)).join(', ')})` : `undetermined: ${r.reason || 'no τ in the ε band'}`),
    item('τ*', r.tau_star === null ? '–' : `${fmt(r.tau_star)}${r.tau_star_per_seed ? ` (seeds: ${r.tau_star_per_seed.map((t) => fmt(t)).join(', ')})` : ''}`),
    item('alpha_mterm', fmt(r.alpha_mterm)),
    item('data', `${r.samples} samples × ${r.features} features, ${r.classes} classes, ${r.wavelets} wavelets`),
    item('settings', `${settings.trees} trees, depth ${settings.depth}, ${settings.seeds} seeds, measure ${settings.measure}, ε ${settings.eps_low}–${settings.eps_high}${unit}`));

  const tau = chartCard({ title: 'τ-sparsity N_τ', fileName: `${file}-n-tau`,
    caption: `log₁₀ N_τ of the forest's wavelet norms against τ. N_τ stays small for large τ and blows up as τ falls below the layer's critical index; the dashed line is τ* = ${fmt(r.tau_star, 2)}.` });
  const angle = chartCard({ title: 'Angle of N′_τ', fileName: `${file}-angle`,
    caption: `θ = arctan N′_τ in radians. The shaded band is −π/2 + ε from ${settings.eps_low} to ${settings.eps_high}${unit} (θ from ${low.toFixed(3)} to ${high.toFixed(3)} rad); τ* (dashed) is the mean of the τ whose angle falls in it (dots).` });
  const mterm = chartCard({ title: 'M-term error', fileName: `${file}-m-term`,
    caption: `Training error of the forest's mean plus its M largest wavelets, against M, on log–log axes. The dashed line is the least-squares fit e(M) ∝ M^(−r), r = alpha_mterm = ${fmt(r.alpha_mterm, 3)}.` });
  const grid = h('div', { class: 'grid detail-grid' }, tau.element, angle.element, mterm.element);
  const element = h('section', { class: 'detail', 'aria-label': `Layer ${layer.name} of ${model.name}`, dataset: { testid: 'layer-detail' } },
    h('div', { class: 'detail-head' }, h('h2', { tabIndex: -1 }, `${model.name} · ${layer.name}`), close),
    summary, grid);
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') onClose();
  });

  const width = 420;
  tau.render(tauChart(r, { width }));
  angle.render(angleChart(r, settings, { width }));
  mterm.render(mtermChart(r, { width }));
  let view = null;
  if (layer.data && model.labels) {
    view = layerView({ getProbe, layer, labels: model.labels });
    grid.append(view.element);
  } else {
    grid.append(h('p', { class: 'caption' }, 'The 2-D view needs the activations: it is shown for layers analysed here, not for results loaded from a JSON file.'));
  }
  return {
    element,
    focus: () => element.querySelector('h2').focus(),
    close() {
      if (view) view.close();
    },
  };
}

function item(term, text) {
  return [h('dt', {}, term), h('dd', {}, text)];
}
