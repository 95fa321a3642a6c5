// The Analyse view: a researcher's own activations in, per-layer α* out. Files are parsed and
// analysed by the WebAssembly core in a worker; nothing leaves the machine.
import { chartCard, chartWidth, downloadText } from '../charts.js';
import { angleChart, mtermChart, tauChart } from '../curves.js';
import { layerView } from '../layer-view.js';
import { alphaChart } from './alpha-chart.js';
import { groupFiles, readBytes } from './model-files.js';
import { fromDocument, toCsv, toDocument } from './results-file.js';

const template = `
  <div class="analyse">
    <section class="card intake">
      <h2>Your network's layers</h2>
      <label class="drop" data-testid="drop-zone">
        <input type="file" multiple data-testid="file-input" accept=".npz,.npy,.csv,.tsv,.txt,.json">
        <span><strong>Drop files here</strong> or choose them: one <code>.npz</code> per model (one array per layer plus
        <code>labels</code> or <code>y</code>, optionally <code>predictions</code>), or several <code>.npy</code> / CSV files
        (one per layer plus the labels), or a results <code>.json</code> exported earlier.</span>
      </label>
      <p class="privacy">Private: files are read and analysed inside this browser tab by WebAssembly. Nothing is uploaded.</p>
      <details class="settings">
        <summary>Settings</summary>
        <div class="settings-grid">
          <label>Label array <input name="labels" placeholder="labels, then y"></label>
          <label>Trees <input type="number" name="trees" value="3" min="1" max="100"></label>
          <label>Depth <input type="number" name="depth" value="15" min="1" max="64"></label>
          <label>Seeds <input type="number" name="seeds" value="3" min="1" max="20"></label>
          <label>Measure <select name="measure"><option value="volume">volume (paper)</option><option value="samples">samples (authors' code)</option></select></label>
          <label>ε low <input type="number" name="eps_low" value="0.1" step="0.05" min="0"></label>
          <label>ε high <input type="number" name="eps_high" value="0.4" step="0.05" min="0"></label>
          <label>ε unit <select name="eps_unit"><option value="rad">radians (paper)</option><option value="deg">degrees (authors' code)</option></select></label>
          <label class="check"><input type="checkbox" name="diagnostics" checked> Diagnostics beside α*: linear probe, KMeans indices, nearest-class-centre mismatch (slower on large layers)</label>
        </div>
      </details>
    </section>
    <section class="card models" aria-live="polite" hidden>
      <h2>Models</h2>
      <ul class="model-list"></ul>
      <div class="run" hidden>
        <progress data-testid="overall-progress" max="1" value="0"></progress>
        <span class="run-text"></span>
        <button type="button" data-testid="cancel">Cancel</button>
      </div>
    </section>
    <section class="card table-card" hidden>
      <div class="table-head">
        <h2>Layers</h2>
        <div class="exports">
          <button type="button" data-testid="export-json">Export JSON</button>
          <button type="button" data-testid="export-csv">Export CSV</button>
        </div>
      </div>
      <div class="table-scroll"><table>
        <thead><tr><th>Model</th><th>Layer</th><th>Shape</th><th>α* ± std</th><th>τ*</th><th>alpha_mterm</th><th>Wavelets</th><th>Time (s)</th>
          <th class="diag">Linear tr / held-out</th><th class="diag">ARI</th><th class="diag">AMI</th><th class="diag">Hom.</th><th class="diag">Compl.</th><th class="diag">FM</th><th class="diag">NCC</th><th>Status</th></tr></thead>
        <tbody data-testid="layer-table"></tbody>
      </table></div>
      <p class="hint">Click a row (or focus it and press Enter) for the layer's curves and a 2-D view.</p>
    </section>
    <div class="alpha-holder"></div>
    <section class="correlations card" hidden></section>
    <section class="detail" hidden></section>
  </div>`;

const fmt = (v, digits = 3) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(digits));

export function mountAnalyse(element, { getProbe }) {
  element.innerHTML = template;
  const $ = (selector) => element.querySelector(selector);
  const models = [];   // { name, files, error, layers: [{ name, shape, data, result, status, fraction, error }], labels, predictions }
  let controller = null;
  let nextModel = 1;
  const alphaCard = chartCard({ title: 'α* per layer', fileName: 'alpha-per-layer', caption: 'α* of each layer in order, one line per model; the band spans the smallest to the largest α* over the seeds. Rising α* means the layers make the classes ever easier to separate; a dip marks a layer that scrambles them.' });
  alphaCard.element.dataset.testid = 'alpha-chart';
  alphaCard.element.hidden = true;
  $('.alpha-holder').append(alphaCard.element);

  function settings() {
    const get = (name) => element.querySelector(`[name="${name}"]`);
    return {
      trees: Number(get('trees').value), depth: Number(get('depth').value), seeds: Number(get('seeds').value),
      measure: get('measure').value, eps_low: Number(get('eps_low').value), eps_high: Number(get('eps_high').value),
      eps_unit: get('eps_unit').value,
    };
  }
  const wantDiagnostics = () => element.querySelector('[name="diagnostics"]').checked;

  // --- intake -------------------------------------------------------------------------------
  const input = $('[data-testid="file-input"]');
  input.addEventListener('change', () => {
    addFiles([...input.files]);
    input.value = '';
  });
  const drop = $('.drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    addFiles([...event.dataTransfer.files]);
  });

  async function addFiles(files) {
    const { models: groups, results } = groupFiles(files);
    for (const file of results) await importResults(file);
    if (!groups.length) return;
    const probe = await getProbe();
    const added = [];
    for (const group of groups) {
      const model = { id: nextModel++, name: group.name, files: group.files.map((f) => f.name), layers: [], error: null };
      models.push(model);
      try {
        const bytes = await Promise.all(group.files.map(readBytes));
        const read = await probe.readFiles(group.files.map((f, k) => ({ fileName: f.name, bytes: bytes[k] })), { labels: element.querySelector('[name="labels"]').value.trim() });
        model.labels = read.labels;
        model.predictions = read.predictions || null;
        model.layers = read.layers.map((layer) => ({ name: layer.name, shape: layer.shape, data: layer.data, status: 'queued', fraction: 0 }));
        added.push(model);
      } catch (error) {
        model.error = error.message;
      }
      render();
    }
    if (added.length) run(added);
  }

  async function importResults(file) {
    try {
      const document = fromDocument(await file.text(), file.name);
      const byModel = new Map();
      for (const layer of document.layers) {
        const name = layer.model || file.name;
        if (!byModel.has(name)) byModel.set(name, []);
        const { model, ...result } = layer;
        byModel.get(name).push({ name: layer.name, shape: [layer.samples, layer.features], result: result.status === 'error' ? null : result,
          status: result.status === 'error' ? 'error' : 'done', error: result.error, diagnostics: result.diagnostics, fraction: 1 });
      }
      for (const entry of document.models || []) if (entry.error) models.push({ id: nextModel++, name: entry.name, files: entry.files || [], layers: [], error: entry.error });
      for (const [name, layers] of byModel) models.push({ id: nextModel++, name, files: [file.name], layers, error: null, imported: true });
    } catch (error) {
      models.push({ id: nextModel++, name: file.name, files: [file.name], layers: [], error: error.message });
    }
    render();
  }

  // --- analysis -------------------------------------------------------------------------------
  async function run(batch) {
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    const probe = await getProbe();
    const chosen = settings();
    const diagnostics = wantDiagnostics();
    const queue = batch.flatMap((model) => model.layers.map((layer) => ({ model, layer })));
    let done = 0;
    $('.run').hidden = false;
    const progressBar = $('[data-testid="overall-progress"]');
    const text = $('.run-text');
    const update = (fraction) => {
      progressBar.value = (done + fraction) / queue.length;
      text.textContent = `${done} of ${queue.length} layers`;
    };
    update(0);
    for (const { model, layer } of queue) {
      if (signal.aborted) break;
      layer.status = 'running';
      renderTable();
      try {
        layer.result = await probe.analyze({
          name: layer.name, data: layer.data, shape: layer.shape, labels: model.labels, settings: chosen, signal,
          onProgress: (p) => {
            layer.fraction = p.fraction;
            updateRow(layer);
            update(diagnostics ? p.fraction * 0.7 : p.fraction);
          },
        });
        if (diagnostics) {
          layer.result.diagnostics = await probe.diagnose({ name: layer.name, data: layer.data, shape: layer.shape, labels: model.labels, predictions: model.predictions, seed: chosen.seed || 0, signal });
        }
        layer.status = 'done';
      } catch (error) {
        if (error.name === 'AbortError') break;
        layer.status = 'error';
        layer.error = error.message;
      }
      done += 1;
      update(0);
      render();
    }
    if (signal.aborted) {
      for (const { layer } of queue) if (layer.status === 'queued' || layer.status === 'running') layer.status = 'cancelled';
    }
    if (controller && controller.signal === signal) controller = null;
    $('.run').hidden = true;
    render();
  }
  $('[data-testid="cancel"]').addEventListener('click', () => controller && controller.abort());

  // --- rendering ------------------------------------------------------------------------------
  function render() {
    renderModels();
    renderTable();
    renderChart();
    renderCorrelations();
  }

  function renderModels() {
    $('.models').hidden = models.length === 0;
    $('.model-list').replaceChildren(...models.map((model) => {
      const item = document.createElement('li');
      item.dataset.testid = 'model';
      const title = document.createElement('strong');
      title.textContent = model.name;
      item.append(title);
      const info = document.createElement('span');
      info.className = 'model-info';
      info.textContent = model.error ? '' : ` — ${model.layers.length} layer${model.layers.length === 1 ? '' : 's'}, ${model.labels ? model.labels.length : model.layers[0]?.shape[0] ?? 0} samples${model.imported ? ' (loaded from results)' : ''}${model.predictions ? ', with predictions' : ''}`;
      item.append(info);
      if (model.error) {
        const error = document.createElement('p');
        error.className = 'error-text';
        error.dataset.testid = 'model-error';
        error.textContent = model.error;
        item.append(error);
      }
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${model.name}`);
      remove.addEventListener('click', () => {
        models.splice(models.indexOf(model), 1);
        render();
      });
      item.append(remove);
      return item;
    }));
  }

  function statusText(layer) {
    if (layer.status === 'running') return `running ${Math.round(100 * (layer.fraction || 0))} %`;
    if (layer.status === 'done') return layer.result.status === 'ok' ? 'ok' : `undetermined: ${layer.result.reason || ''}`;
    if (layer.status === 'error') return `error: ${layer.error}`;
    return layer.status;
  }

  function renderTable() {
    const rows = [];
    const anyDiagnostics = models.some((m) => m.layers.some((l) => l.result?.diagnostics));
    element.querySelector('table').classList.toggle('with-diagnostics', anyDiagnostics);
    for (const model of models) {
      for (const layer of model.layers) {
        const r = layer.result;
        const d = r?.diagnostics;
        const row = document.createElement('tr');
        row.dataset.testid = 'layer-row';
        row.tabIndex = 0;
        row.className = `status-${layer.status}`;
        const cells = [model.name, layer.name, `${layer.shape[0]} × ${layer.shape[1]}`,
          r && r.status === 'ok' ? `${fmt(r.alpha)} ± ${fmt(r.alpha_std)}` : '–', fmt(r?.tau_star), fmt(r?.alpha_mterm),
          r ? String(r.wavelets) : '–', fmt(r?.seconds, 2),
          d ? `${fmt(d.linear_probe.train_accuracy, 2)} / ${fmt(d.linear_probe.heldout_accuracy, 2)}` : '–',
          fmt(d?.kmeans.adjusted_rand), fmt(d?.kmeans.adjusted_mutual_information), fmt(d?.kmeans.homogeneity),
          fmt(d?.kmeans.completeness), fmt(d?.kmeans.fowlkes_mallows), fmt(d?.ncc_mismatch), statusText(layer)];
        cells.forEach((text, k) => {
          const cell = document.createElement('td');
          cell.textContent = text;
          if (k >= 8 && k <= 14) cell.className = 'diag';
          if (k === 3 && r && r.status === 'ok') cell.dataset.alpha = String(r.alpha);
          row.append(cell);
        });
        row.layer = layer;
        row.model = model;
        const open = () => r && showDetail(model, layer);
        row.addEventListener('click', open);
        row.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            open();
          }
        });
        rows.push(row);
      }
    }
    $('[data-testid="layer-table"]').replaceChildren(...rows);
    $('.table-card').hidden = rows.length === 0;
  }

  function updateRow(layer) {
    for (const row of element.querySelectorAll('[data-testid="layer-row"]')) {
      if (row.layer === layer) row.lastChild.textContent = statusText(layer);
    }
  }

  function renderChart() {
    const withResults = models.filter((m) => m.layers.some((l) => l.result && l.result.status === 'ok'));
    alphaCard.element.hidden = withResults.length === 0;
    if (withResults.length) alphaCard.render(alphaChart(withResults, { width: chartWidth(alphaCard.holder, 760) }));
  }

  function renderCorrelations() {
    const section = $('.correlations');
    const keys = [
      ['linear held-out accuracy', (d) => d.linear_probe.heldout_accuracy], ['ARI', (d) => d.kmeans.adjusted_rand],
      ['AMI', (d) => d.kmeans.adjusted_mutual_information], ['homogeneity', (d) => d.kmeans.homogeneity],
      ['completeness', (d) => d.kmeans.completeness], ['Fowlkes–Mallows', (d) => d.kmeans.fowlkes_mallows],
      ['NCC mismatch', (d) => d.ncc_mismatch]];
    const rows = [];
    for (const model of models) {
      const layers = model.layers.filter((l) => l.result?.status === 'ok' && l.result.diagnostics);
      if (layers.length < 3) continue;
      const alpha = layers.map((l) => l.result.alpha);
      rows.push(`<tr><td>${escapeHtml(model.name)}</td>${keys.map(([, get]) => `<td>${fmt(pearson(alpha, layers.map((l) => get(l.result.diagnostics))), 2)}</td>`).join('')}</tr>`);
    }
    section.hidden = rows.length === 0;
    section.innerHTML = `<h2>Correlation of α* with each diagnostic across layers (Pearson r)</h2>
      <table data-testid="correlations"><thead><tr><th>Model</th>${keys.map(([name]) => `<th>${name}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
      <p class="caption">As in the paper's Table 2: how closely each classic way of judging a layer follows α* through the network.</p>`;
  }

  let detailView = null;
  function showDetail(model, layer) {
    const detail = $('.detail');
    detail.hidden = false;
    if (detailView) detailView.close();
    const heading = document.createElement('h2');
    heading.textContent = `${model.name} · ${layer.name}`;
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Close';
    close.addEventListener('click', () => {
      detail.hidden = true;
      if (detailView) detailView.close();
    });
    const head = document.createElement('div');
    head.className = 'detail-head';
    head.append(heading, close);
    const grid = document.createElement('div');
    grid.className = 'grid';
    const r = layer.result;
    const chosen = imported(model) ? r.settings || settings() : settings();
    const tau = chartCard({ title: 'τ-sparsity N_τ', fileName: `${layer.name}-n-tau`, caption: 'N_τ of the layer\'s forest wavelets against τ (log scale). It blows up below τ*; a smaller τ* means a sparser, smoother layer.' });
    const angle = chartCard({ title: 'Angle of the derivative', fileName: `${layer.name}-angle`, caption: 'θ = arctan N′_τ with the ε band shaded; τ* (dashed) is the mean τ of the points inside it.' });
    const mterm = chartCard({ title: 'M-term error', fileName: `${layer.name}-m-term`, caption: `Training error of the M largest wavelets against M (log–log); slope r = ${fmt(r.alpha_mterm, 2)} (alpha_mterm).` });
    grid.append(tau.element, angle.element, mterm.element);
    detail.replaceChildren(head, grid);
    const width = 420;
    tau.render(tauChart(r, { width }));
    angle.render(angleChart(r, chosen, { width }));
    mterm.render(mtermChart(r, { width }));
    if (layer.data) {
      detailView = layerView({ getProbe, layer, labels: model.labels });
      grid.append(detailView.element);
    }
    detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
  const imported = (model) => Boolean(model.imported);

  // --- export / import ------------------------------------------------------------------------
  function resultLayers() {
    return models.flatMap((model) => model.layers.map((layer) => {
      if (layer.result) return { ...layer.result, model: model.name };
      return { name: layer.name, samples: layer.shape[0], features: layer.shape[1], model: model.name, status: 'error', error: layer.error || layer.status };
    }));
  }
  $('[data-testid="export-json"]').addEventListener('click', async () => {
    const probe = await getProbe();
    const document = toDocument({ version: probe.version, settings: await probe.settings(settings()), models, layers: resultLayers() });
    downloadText(`${JSON.stringify(document, null, 1)}\n`, 'sparsity-probe-results.json', 'application/json');
  });
  $('[data-testid="export-csv"]').addEventListener('click', () => downloadText(toCsv(resultLayers()), 'sparsity-probe-results.csv', 'text/csv'));

  window.addEventListener('resize', () => renderChart());
  return {};
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

function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}
