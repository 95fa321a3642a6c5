// The Learn view's state and its URL form: every control has a short key, so a link reproduces
// the view (#/learn?set=circles&n=500&…).
export const datasets = ['spiral', 'circles', 'gaussian-quantiles', 'moons', 'xor', 'random'];

// Position noise each data set starts from (the core's default_noise, in the set's own units).
export const defaultNoise = { spiral: 0.1, circles: 0.05, moons: 0.05, 'gaussian-quantiles': 0, xor: 0, random: 0 };

const fields = {
  set: { key: 'set', parse: (v) => (datasets.includes(v) ? v : undefined) },
  samples: { key: 'n', parse: intIn(50, 5000) },
  noise: { key: 'noise', parse: numberIn(0, 2) },
  labelNoise: { key: 'ln', parse: numberIn(0, 1) },
  seed: { key: 'seed', parse: intIn(0, 1e9) },
  trees: { key: 'trees', parse: intIn(1, 10) },
  depth: { key: 'depth', parse: intIn(1, 25) },
  measure: { key: 'measure', parse: (v) => (v === 'volume' || v === 'samples' ? v : undefined) },
  epsLow: { key: 'el', parse: numberIn(0, 90) },
  epsHigh: { key: 'eh', parse: numberIn(0, 90) },
  epsUnit: { key: 'eu', parse: (v) => (v === 'rad' || v === 'deg' ? v : undefined) },
  tree: { key: 'tree', parse: intIn(0, 9) },
  m: { key: 'm', parse: intIn(0, 1e6) },
  linear: { key: 'lp', parse: (v) => (v === '1' ? true : v === '0' ? false : undefined) },
};

export function defaults() {
  return {
    set: 'spiral', samples: 1000, noise: defaultNoise.spiral, labelNoise: 0, seed: 0,
    trees: 3, depth: 15, measure: 'volume', epsLow: 0.1, epsHigh: 0.4, epsUnit: 'rad',
    tree: 0, m: 20, linear: false,
  };
}

export function fromParams(params) {
  const state = defaults();
  if (params.has('set') && !params.has('noise')) state.noise = defaultNoise[params.get('set')] ?? state.noise;
  for (const [name, field] of Object.entries(fields)) {
    if (!params.has(field.key)) continue;
    const value = field.parse(params.get(field.key));
    if (value !== undefined) state[name] = value;
  }
  return state;
}

export function toParams(state) {
  const params = new URLSearchParams();
  for (const [name, field] of Object.entries(fields)) {
    const value = state[name];
    params.set(field.key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return params;
}

// The probe settings (results-document key names) for a state.
export function settingsOf(state) {
  return {
    trees: state.trees, depth: state.depth, seed: state.seed, measure: state.measure,
    eps_low: state.epsLow, eps_high: state.epsHigh, eps_unit: state.epsUnit,
  };
}

function intIn(low, high) {
  return (v) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= low && n <= high ? n : undefined;
  };
}

function numberIn(low, high) {
  return (v) => {
    const n = Number(v);
    return v !== '' && Number.isFinite(n) && n >= low && n <= high ? n : undefined;
  };
}
