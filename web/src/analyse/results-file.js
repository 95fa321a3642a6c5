// The results document (SPEC §5) the view exports and loads back, and its CSV table. The view adds
// "model" to each layer and a "models" list (name, files, the settings it ran with, its error).
const csvColumns = [
  ['model', (l) => l.model], ['layer', (l) => l.name], ['samples', (l) => l.samples], ['features', (l) => l.features],
  ['classes', (l) => l.classes],
  ['alpha', (l) => l.alpha], ['alpha_std', (l) => l.alpha_std], ['alpha_min', (l) => l.alpha_min], ['alpha_max', (l) => l.alpha_max],
  ['tau_star', (l) => l.tau_star], ['alpha_mterm', (l) => l.alpha_mterm], ['wavelets', (l) => l.wavelets],
  ['seconds', (l) => l.seconds], ['status', (l) => l.status],
  ['linear_train_accuracy', (l) => l.diagnostics?.linear_probe.train_accuracy],
  ['linear_heldout_accuracy', (l) => l.diagnostics?.linear_probe.heldout_accuracy],
  ['kmeans_adjusted_rand', (l) => l.diagnostics?.kmeans.adjusted_rand],
  ['kmeans_adjusted_mutual_information', (l) => l.diagnostics?.kmeans.adjusted_mutual_information],
  ['kmeans_homogeneity', (l) => l.diagnostics?.kmeans.homogeneity],
  ['kmeans_completeness', (l) => l.diagnostics?.kmeans.completeness],
  ['kmeans_fowlkes_mallows', (l) => l.diagnostics?.kmeans.fowlkes_mallows],
  ['ncc_mismatch', (l) => l.diagnostics?.ncc_mismatch],
  ['analysed_samples', (l) => l.analysed_samples], ['analysed_features', (l) => l.analysed_features],
  ['reason', (l) => l.reason],
  ['error', (l) => l.error],
];

function csvCell(value) {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(layers) {
  const lines = [csvColumns.map(([name]) => name).join(',')];
  for (const layer of layers) lines.push(csvColumns.map(([, get]) => csvCell(get(layer))).join(','));
  return `${lines.join('\n')}\n`;
}

// `settings` is the document's (the first model's, or the form's when no model ran); each model
// keeps its own, since settings can change between runs.
export function toDocument({ version, settings, models, layers }) {
  return {
    tool: 'sparsity-probe',
    version,
    settings,
    files: models.flatMap((m) => m.files),
    models: models.map((m) => ({ name: m.name, files: m.files, ...(m.settings ? { settings: m.settings } : {}), ...(m.error ? { error: m.error } : {}) })),
    layers,
  };
}

// Checks an exported document (the web app's or the CLI's --json) enough to show it, and splits it
// into models: [{ name, files, settings, error, layers }]. Throws an Error saying what is wrong.
export function fromDocument(text, fileName) {
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not JSON (${error.message})`);
  }
  if (!document || document.tool !== 'sparsity-probe' || !Array.isArray(document.layers))
    throw new Error(`${fileName}: not a sparsity-probe results document (expected "tool": "sparsity-probe" and a "layers" array)`);
  for (const [k, layer] of document.layers.entries()) {
    if (!layer || typeof layer.name !== 'string' || !('alpha' in layer))
      throw new Error(`${fileName}: layer ${k + 1} has no name or no alpha`);
    if ((layer.status === 'ok' || layer.status === 'undetermined') && !(layer.curve && Array.isArray(layer.curve.tau) && layer.mterm))
      throw new Error(`${fileName}: layer ${k + 1} (${layer.name}) has no curve or mterm`);
  }
  const byName = new Map();
  const entry = (name) => {
    if (!byName.has(name)) byName.set(name, { name, files: [], settings: document.settings, error: null, layers: [] });
    return byName.get(name);
  };
  for (const model of Array.isArray(document.models) ? document.models : []) {
    const target = entry(String(model.name));
    target.files = Array.isArray(model.files) ? model.files : [];
    target.settings = model.settings || document.settings;
    target.error = model.error || null;
  }
  // A document without "model" keys (one model) is named after the file it came in.
  const fallback = Array.isArray(document.files) && document.files.length === 1 ? document.files[0] : fileName;
  for (const layer of document.layers) {
    const target = entry(layer.model ? String(layer.model) : fallback);
    if (!target.files.length && layer.model) target.files = [layer.model];
    target.layers.push(layer);
  }
  return { version: document.version, settings: document.settings, models: [...byName.values()] };
}
