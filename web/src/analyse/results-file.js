// The results document (SPEC §5) the view exports and loads back, and its CSV table.
const csvColumns = [
  ['model', (l) => l.model], ['layer', (l) => l.name], ['samples', (l) => l.samples], ['features', (l) => l.features],
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
  ['error', (l) => l.error],
];

function csvCell(value) {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(layers) {
  const lines = [csvColumns.map(([name]) => name).join(',')];
  for (const layer of layers) lines.push(csvColumns.map(([, get]) => csvCell(get(layer))).join(','));
  return `${lines.join('\n')}\n`;
}

export function toDocument({ version, settings, models, layers }) {
  return {
    tool: 'sparsity-probe',
    version,
    settings,
    files: models.flatMap((m) => m.files),
    models: models.map((m) => (m.error ? { name: m.name, files: m.files, error: m.error } : { name: m.name, files: m.files })),
    layers,
  };
}

// Checks an exported document enough to show it; throws an Error saying what is wrong.
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
    if (typeof layer.name !== 'string' || !('alpha' in layer))
      throw new Error(`${fileName}: layer ${k} has no name or alpha`);
  }
  return document;
}
