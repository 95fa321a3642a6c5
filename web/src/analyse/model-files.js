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
  if (loose.length) {
    const name = loose.length === 1 ? loose[0].name : `${loose[0].name} + ${loose.length - 1} more`;
    models.push({ name, files: loose });
  }
  return { models, results };
}

export async function readBytes(file) {
  return new Uint8Array(await file.arrayBuffer());
}
