// How dropped files become models: each .npz is a model of its own; .npy and CSV/TSV files dropped
// together form one model (one file per layer plus the labels); .json files are exported results.
export function groupFiles(files) {
  const models = [];
  const loose = [];
  const results = [];
  for (const file of files) {
    const name = file.name.toLowerCase();
    if (name.endsWith('.json')) results.push(file);
    else if (name.endsWith('.npz')) models.push({ name: file.name, files: [file] });
    else loose.push(file);
  }
  if (loose.length) models.push({ name: looseName(loose.map((f) => f.name)), files: loose });
  return { models, results };
}

// A model made of loose files is named after what its files share (say "resnet_" for resnet_conv1.npy,
// resnet_fc.npy, …), else after its first file.
function looseName(names) {
  if (names.length === 1) return names[0];
  let prefix = names[0];
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  prefix = prefix.replace(/[\s._-]+$/, '');
  return prefix.length >= 2 ? `${prefix} (${names.length} files)` : `${names[0]} + ${names.length - 1} more`;
}

// Models are told apart by name in the chart's colours and in the exported document, so a second
// model of the same name gets a number.
export function uniqueName(name, taken) {
  if (!taken.has(name)) return name;
  for (let k = 2; ; ++k) if (!taken.has(`${name} (${k})`)) return `${name} (${k})`;
}

export async function readBytes(file) {
  return new Uint8Array(await file.arrayBuffer());
}
