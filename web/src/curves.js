// The probe's three curves for one layer, as Observable Plot charts: N_τ on a log axis, the angle
// of its derivative with the ε band and τ*, and the M-term error on log–log axes.
import { Plot } from './charts.js';

const halfPi = Math.PI / 2;

// The band of angles that defines S, in radians whatever unit the settings compare in.
export function angleBand(settings) {
  const toRadians = settings.eps_unit === 'deg' ? Math.PI / 180 : 1;
  return [-halfPi + settings.eps_low * toRadians, -halfPi + settings.eps_high * toRadians];
}

export function tauChart(layer, { width = 460, height = 260 } = {}) {
  const points = layer.curve.tau.map((tau, k) => ({ tau, log10: layer.curve.log_n_tau[k] / Math.LN10 }));
  return Plot.plot({
    width, height, marginLeft: 52,
    x: { label: 'τ', domain: [0, 2] },
    y: { label: 'log₁₀ N_τ', grid: true },
    marks: [
      Plot.line(points, { x: 'tau', y: 'log10', stroke: 'var(--accent)', strokeWidth: 2 }),
      layer.tau_star !== null ? Plot.ruleX([layer.tau_star], { stroke: 'var(--class-1)', strokeDasharray: '4 3' }) : null,
      layer.tau_star !== null ? Plot.text([layer.tau_star], { x: (d) => d, frameAnchor: 'top', dy: 4, dx: 4, textAnchor: 'start', text: (d) => `τ* = ${d.toFixed(2)}` }) : null,
    ],
  });
}

export function angleChart(layer, settings, { width = 460, height = 260 } = {}) {
  const [low, high] = angleBand(settings);
  const points = layer.curve.tau.map((tau, k) => {
    const angle = layer.curve.angle[k];
    return { tau, angle, inBand: angle >= low && angle <= high };
  });
  return Plot.plot({
    width, height, marginLeft: 52,
    x: { label: 'τ', domain: [0, 2] },
    y: { label: 'θ = arctan N′_τ (rad)', domain: [-halfPi - 0.05, 0.05], grid: true },
    marks: [
      Plot.rectY([{ low, high }], { x1: 0, x2: 2, y1: 'low', y2: 'high', fill: 'var(--class-2)', fillOpacity: 0.25 }),
      Plot.line(points, { x: 'tau', y: 'angle', stroke: 'var(--accent)', strokeWidth: 2 }),
      Plot.dot(points.filter((p) => p.inBand), { x: 'tau', y: 'angle', r: 2.5, fill: 'var(--class-2)' }),
      Plot.ruleY([-halfPi], { stroke: 'currentColor', strokeOpacity: 0.4 }),
      layer.tau_star !== null ? Plot.ruleX([layer.tau_star], { stroke: 'var(--class-1)', strokeDasharray: '4 3' }) : null,
    ],
  });
}

export function mtermChart(layer, { width = 460, height = 260, m = null } = {}) {
  const points = layer.mterm.m.map((count, k) => ({ m: count, error: layer.mterm.error[k] })).filter((p) => p.error > 0);
  const marks = [
    Plot.line(points, { x: 'm', y: 'error', stroke: 'var(--accent)', strokeWidth: 2 }),
    Plot.dot(points, { x: 'm', y: 'error', r: 2, fill: 'var(--accent)' }),
  ];
  if (layer.alpha_mterm !== null && points.length >= 2) {
    // The fitted power law e(M) ≈ c·M^(−r), through the geometric centre of the points.
    const meanX = points.reduce((s, p) => s + Math.log(p.m), 0) / points.length;
    const meanY = points.reduce((s, p) => s + Math.log(p.error), 0) / points.length;
    const fit = [points[0].m, points.at(-1).m].map((count) => ({ m: count, error: Math.exp(meanY - layer.alpha_mterm * (Math.log(count) - meanX)) }));
    marks.push(Plot.line(fit, { x: 'm', y: 'error', stroke: 'var(--class-1)', strokeDasharray: '5 4' }));
  }
  if (m !== null && m > 0) marks.push(Plot.ruleX([m], { stroke: 'var(--class-2)', strokeWidth: 2 }));
  return Plot.plot({
    width, height, marginLeft: 56,
    x: { type: 'log', label: 'M (wavelets kept)' },
    y: { type: 'log', label: 'training error e(M)', grid: true, tickFormat: '~g' },
    marks,
  });
}
