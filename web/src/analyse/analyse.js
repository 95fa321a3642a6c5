// The Analyse view: a researcher's own activations in, per-layer α* out. Files are parsed and
// analysed by the WebAssembly core in a worker (probe.readFiles, probe.analyze); nothing leaves
// the machine. Layers are analysed one after another from a single queue, so files dropped while
// others run simply wait their turn.
import '../analyse.css';
import { chartCard, downloadText } from '../charts.js';
import { alphaChart } from './alpha-chart.js';
import { renderCorrelations } from './correlations.js';
import { layerDetail } from './detail.js';
import { h, plural } from './dom.js';
import { groupFiles, readBytes, uniqueName } from './model-files.js';
import { fromDocument, toCsv, toDocument } from './results-file.js';
import { layerTable } from './table.js';

const template = `
  <div class="analyse">
    <section class="card intake" aria-labelledby="analyse-intake">
      <h2 id="analyse-intake">Your network's layers</h2>
      <label class="drop" data-testid="drop-zone">
        <input type="file" multiple data-testid="file-input" accept=".npz,.npy,.csv,.tsv,.txt,.json">
        <span><strong>Drop files here</strong> or choose them. One <code>.npz</code> per model (one array per layer,
        in order, plus the labels as <code>labels</code> or <code>y</code>, optionally <code>predictions</code>);
        or several <code>.npy</code> or CSV/TSV files chosen together as one model (one file per layer plus
        <code>labels.npy</code>, or a label column); or a results <code>.json</code> exported earlier.</span>
      </label>
      <div class="intake-row">
        <label class="labels-name">Label array name <input name="labels" placeholder="labels, then y" autocomplete="off" spellcheck="false"></label>
        <label class="import">Load exported results (.json) <input type="file" data-testid="import-json" accept=".json,application/json" multiple></label>
      </div>
      <p class="privacy"><strong>Private:</strong> files are read and analysed inside this browser tab by WebAssembly. Nothing is uploaded; nothing leaves your machine.</p>
      <details class="settings">
        <summary>Settings <span class="settings-summary"></span></summary>
        <div class="settings-grid">
          <label>Trees per forest <input type="number" name="trees" value="3" min="1" max="1000" step="1"></label>
          <label>Max depth <input type="number" name="depth" value="15" min="1" max="64" step="1"></label>
          <label>Seeds (repetitions) <input type="number" name="seeds" value="3" min="1" max="100" step="1"></label>
          <label>Measure |Ω| <select name="measure"><option value="volume">volume (paper)</option><option value="samples">samples (authors' code)</option></select></label>
          <label>ε low <input type="number" name="eps_low" value="0.1" step="0.05" min="0"></label>
          <label>ε high <input type="number" name="eps_high" value="0.4" step="0.05" min="0"></label>
          <label>ε unit <select name="eps_unit"><option value="rad">rad (paper's text)</option><option value="deg">deg (authors' code)</option></select></label>
          <label>Max samples <input type="number" name="max_samples" min="2" step="1" placeholder="all rows" data-testid="max-samples"></label>
          <label>Project features to <input type="number" name="project_features" min="1" max="100000" step="1" placeholder="keep them" data-testid="project-features"></label>
          <p class="caption reductions">For layers too large for this tab, or too slow: <strong>max samples</strong> analyses a seeded,
          stratified sample of the rows (every class keeps its share); <strong>project features to</strong> maps layers with more
          features to that many by a seeded sparse random projection (the authors' code used 2,500). Both use the seed of the
          forests and are recorded in the exported settings. <span class="limits" data-testid="limits"></span></p>
          <label class="check"><input type="checkbox" name="diagnostics" checked> Diagnostics beside α*: linear probe, KMeans indices, nearest-class-centre mismatch (slower on large layers)</label>
        </div>
        <p class="caption">Settings apply to the files added next, or to every model with “Analyse again”. The defaults are the paper's.</p>
        <p class="error-text" data-testid="settings-error" role="alert" hidden></p>
      </details>
    </section>
    <section class="card models" aria-labelledby="analyse-models" hidden>
      <h2 id="analyse-models">Models</h2>
      <ul class="model-list"></ul>
      <div class="run" hidden>
        <progress data-testid="overall-progress" max="1" value="0" aria-label="Overall progress"></progress>
        <span class="run-text" aria-live="polite"></span>
        <button type="button" data-testid="cancel">Cancel</button>
      </div>
      <div class="after-run">
        <button type="button" data-testid="reanalyse" hidden>Analyse again with the current settings</button>
        <button type="button" data-testid="resume" hidden>Resume the cancelled layers</button>
      </div>
    </section>
    <section class="card table-card" aria-labelledby="analyse-layers" hidden>
      <div class="table-head">
        <h2 id="analyse-layers">Layers</h2>
        <div class="exports">
          <button type="button" data-testid="export-json" title="The results document: settings, every layer with its curves; loads back here">Export JSON</button>
          <button type="button" data-testid="export-csv" title="The table as CSV">Export CSV</button>
        </div>
      </div>
      <div class="table-scroll"></div>
      <p class="hint">Click a row, or focus it and press Enter, for the layer's curves. α* = 1/τ* − ½: higher means a smoother, better separated layer; ± is the standard deviation over the seeds.</p>
    </section>
    <div class="alpha-holder"></div>
    <section class="correlations card" hidden></section>
    <div class="detail-holder"></div>
  </div>`;

export function mountAnalyse(element, { getProbe }) {
  element.innerHTML = template;
  const $ = (selector) => element.querySelector(selector);
  const field = (name) => element.querySelector(`[name="${name}"]`);

  // models: [{ name, files, settings, error, reading, imported, labels, predictions, diagnostics,
  //            layers: [{ name, shape, data, result, status, fraction, error }] }]
  // layer.status: queued | running | done | error | cancelled | idle (not analysed: the settings were invalid)
  const models = [];
  const queue = [];          // [{ model, layer }] not yet started
  const reads = new Set();   // AbortControllers of files being parsed
  let current = null;        // { model, layer, controller } being analysed
  let counts = { done: 0, total: 0 };
  let selected = null;       // { model, layer, view } shown in detail

  const table = layerTable({ onOpen: openDetail });
  $('.table-scroll').append(table.element);
  const alphaCard = chartCard({ title: 'α* per layer', fileName: 'alpha-per-layer',
    caption: 'α* of each layer in order, one line per model; the shaded band spans the smallest to the largest α* over the seeds. Rising α* means the layers make the classes ever easier to separate; a dip marks a layer that scrambles them; a gap is a layer whose α* is undetermined.' });
  alphaCard.element.dataset.testid = 'alpha-chart';
  alphaCard.element.hidden = true;
  $('.alpha-holder').append(alphaCard.element);

  // --- settings ---------------------------------------------------------------------------------
  // The reductions are sent only when set, so the settings (and exports) of runs without them stay
  // as they were.
  const optional = (name) => (field(name).value.trim() === '' ? {} : { [name]: Number(field(name).value) });
  const formSettings = () => ({
    trees: Number(field('trees').value), depth: Number(field('depth').value), seeds: Number(field('seeds').value),
    measure: field('measure').value, eps_low: Number(field('eps_low').value), eps_high: Number(field('eps_high').value),
    eps_unit: field('eps_unit').value, ...optional('max_samples'), ...optional('project_features'),
  });
  const summarise = (s) => `(${s.trees} trees, depth ${s.depth}, ${s.seeds} seeds, ${s.measure}, ε ${s.eps_low}–${s.eps_high} ${s.eps_unit}` +
    `${s.max_samples ? `, ≤ ${s.max_samples} rows` : ''}${s.project_features ? `, projected to ${s.project_features} features` : ''})`;
  const showSettings = () => { $('.settings-summary').textContent = summarise(formSettings()); };
  $('.settings-grid').addEventListener('input', showSettings);
  showSettings();
  // The limits are the core's (README "Limits"); shown once the core has started.
  getProbe().then((probe) => probe.limits()).then((l) => {
    $('[data-testid="limits"]').textContent = `This tab analyses at most ${l.analysedValues.toLocaleString('en')} values ` +
      `(samples × features) per layer and reads at most ${Math.round(l.fileBytes / 2 ** 20)} MiB of files at once; the command-line tool has no such limits.`;
  }, () => {});

  // The core checks the settings and completes them with its defaults (those go into the export);
  // a bad value gives null and its message beside the settings.
  async function checkedSettings() {
    const error = $('[data-testid="settings-error"]');
    try {
      const probe = await getProbe();
      const settings = await probe.settings(formSettings());
      error.hidden = true;
      return settings;
    } catch (failure) {
      error.textContent = `Settings: ${failure.message}. Fix them, then press “Analyse again”.`;
      error.hidden = false;
      $('.settings').open = true;
      return null;
    }
  }

  // --- intake -----------------------------------------------------------------------------------
  const fileInput = $('[data-testid="file-input"]');
  fileInput.addEventListener('change', () => {
    const files = [...fileInput.files];
    fileInput.value = '';
    addFiles(files);
  });
  const importInput = $('[data-testid="import-json"]');
  importInput.addEventListener('change', () => {
    const files = [...importInput.files];
    importInput.value = '';
    addFiles(files);
  });
  // The whole view takes drops, so a file that misses the zone is not opened by the browser instead.
  const drop = $('.drop');
  element.addEventListener('dragover', (event) => {
    if (![...(event.dataTransfer?.types || [])].includes('Files')) return;
    event.preventDefault();
    drop.classList.add('over');
  });
  element.addEventListener('dragleave', (event) => {
    if (!element.contains(event.relatedTarget)) drop.classList.remove('over');
  });
  element.addEventListener('drop', (event) => {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    drop.classList.remove('over');
    addFiles([...event.dataTransfer.files]);
  });

  async function addFiles(files) {
    // One controller for the whole drop, registered before anything waits, so Cancel also stops
    // files still waiting to be read.
    const controller = new AbortController();
    reads.add(controller);
    try {
      const { models: groups, results } = groupFiles(files);
      for (const file of results) await importResults(file);
      if (!groups.length) return;
      // Named and listed at once, read one after another: the list shows what is coming. (The
      // worker does one job at a time, so reading waits for a running layer to finish.)
      const added = groups.map((group) => addModel({ name: group.name, files: group.files.map((f) => f.name), reading: true }));
      const diagnostics = field('diagnostics').checked;
      const labels = field('labels').value.trim() || undefined;
      const settings = await checkedSettings();
      for (const [k, group] of groups.entries()) await readModel(added[k], group.files, { labels, settings, diagnostics, signal: controller.signal });
    } catch (failure) {
      // Whatever went wrong (the core failed to start, say), the page stays usable and says so.
      addModel({ name: 'files', files: files.map((f) => f.name), error: failure.message });
    } finally {
      reads.delete(controller);
      render();
    }
  }

  function addModel(fields) {
    const model = { layers: [], error: null, settings: null, ...fields, name: uniqueName(fields.name, new Set(models.map((m) => m.name))) };
    models.push(model);
    render();
    return model;
  }

  async function readModel(model, files, { labels, settings, diagnostics, signal }) {
    try {
      const probe = await getProbe();
      // Files too large for this tab are refused by the core before their bytes are read.
      await probe.checkFiles(files.map((file) => ({ fileName: file.name, size: file.size })), { signal });
      const bytes = await Promise.all(files.map(readBytes));
      const read = await probe.readFiles(files.map((file, k) => ({ fileName: file.name, bytes: bytes[k] })), { labels, signal });
      model.labels = read.labels;
      model.predictions = read.predictions || null;
      model.layers = read.layers.map((layer) => ({ name: layer.name, shape: layer.shape, data: layer.data, result: null, status: 'idle', fraction: 0 }));
    } catch (failure) {
      model.error = failure.name === 'AbortError' ? 'reading was cancelled' : failure.message;
    } finally {
      model.reading = false;
    }
    if (!models.includes(model)) return;  // removed while reading
    if (model.layers.length && settings) enqueue(model, model.layers, settings, diagnostics);
    render();
  }

  async function importResults(file) {
    try {
      const document = fromDocument(await file.text(), file.name);
      for (const entry of document.models) {
        addModel({
          name: entry.name, files: entry.files.length ? entry.files : [file.name], settings: entry.settings, error: entry.error,
          imported: file.name,
          layers: entry.layers.map(({ model, ...result }) => ({
            name: result.name, shape: [result.samples, result.features], fraction: 1,
            status: result.status === 'ok' || result.status === 'undetermined' ? 'done' : String(result.status || 'error'),
            result: result.status === 'ok' || result.status === 'undetermined' ? result : null,
            error: result.error || null,
          })),
        });
      }
    } catch (failure) {
      addModel({ name: file.name, files: [file.name], error: failure.message });
    }
  }

  // --- the queue ----------------------------------------------------------------------------------
  function enqueue(model, layers, settings, diagnostics) {
    model.settings = settings;
    model.diagnostics = diagnostics;
    for (const layer of layers) {
      Object.assign(layer, { status: 'queued', fraction: 0, result: null, error: null });
      queue.push({ model, layer });
    }
    counts.total += layers.length;
    pump();
    render();
  }

  let pumping = false;
  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      const probe = await getProbe();
      while (queue.length) {
        const { model, layer } = queue.shift();
        current = { model, layer, controller: new AbortController() };
        const { signal } = current.controller;
        layer.status = 'running';
        render();
        try {
          const request = { name: layer.name, data: layer.data, shape: layer.shape, labels: model.labels, signal };
          const result = await probe.analyze({ ...request, settings: model.settings,
            onProgress: (p) => {
              layer.fraction = model.diagnostics ? 0.8 * p.fraction : p.fraction;
              table.progress(layer);
              showRun();
            } });
          if (model.diagnostics) result.diagnostics = await probe.diagnose({ ...request, predictions: model.predictions, settings: model.settings });
          layer.result = result;
          layer.status = 'done';
        } catch (failure) {
          if (failure.name === 'AbortError') layer.status = 'cancelled';
          else Object.assign(layer, { status: 'error', error: failure.message });
        }
        current = null;
        counts.done += 1;
        render();
      }
    } catch (failure) {
      for (const { layer } of queue.splice(0)) Object.assign(layer, { status: 'error', error: failure.message });
    } finally {
      pumping = false;
      current = null;
      counts = { done: 0, total: 0 };
      render();
    }
  }

  // Cancelling stops the worker mid-layer (the API rejects with an AbortError) and drops the queue;
  // finished layers keep their results.
  function cancel() {
    for (const { layer } of queue.splice(0)) layer.status = 'cancelled';
    for (const controller of reads) controller.abort();
    if (current) current.controller.abort();
    render();
  }
  $('[data-testid="cancel"]').addEventListener('click', cancel);

  function removeModel(model) {
    models.splice(models.indexOf(model), 1);
    const dropped = queue.filter((job) => job.model === model).length;
    for (let k = queue.length - 1; k >= 0; --k) if (queue[k].model === model) queue.splice(k, 1);
    counts.total -= dropped;
    if (current && current.model === model) current.controller.abort();
    if (selected && selected.model === model) closeDetail();
    render();
  }

  const analysable = (model) => !model.imported && !model.reading && model.layers.length > 0 && model.labels;
  const reanalyse = $('[data-testid="reanalyse"]');
  reanalyse.addEventListener('click', async () => {
    reanalyse.disabled = true;   // until the core has checked the settings
    const settings = await checkedSettings();
    reanalyse.disabled = false;
    if (!settings) return;
    closeDetail();
    for (const model of models.filter(analysable)) enqueue(model, model.layers, settings, field('diagnostics').checked);
  });
  $('[data-testid="resume"]').addEventListener('click', () => {
    for (const model of models.filter(analysable)) {
      const cancelled = model.layers.filter((l) => l.status === 'cancelled');
      if (cancelled.length) enqueue(model, cancelled, model.settings, model.diagnostics);
    }
  });

  // --- rendering ----------------------------------------------------------------------------------
  function render() {
    renderModels();
    const rows = table.render(models, selected?.layer);
    $('.table-card').hidden = rows === 0;
    renderChart();
    renderCorrelations($('.correlations'), models);
    showRun();
    const idle = !pumping && reads.size === 0;
    $('[data-testid="reanalyse"]').hidden = !idle || !models.some(analysable);
    $('[data-testid="resume"]').hidden = !idle || !models.some((m) => analysable(m) && m.layers.some((l) => l.status === 'cancelled'));
  }

  function showRun() {
    const busy = pumping || reads.size > 0;
    $('.run').hidden = !busy;
    if (!busy) return;
    const fraction = current ? current.layer.fraction || 0 : 0;
    $('[data-testid="overall-progress"]').value = counts.total ? (counts.done + fraction) / counts.total : 0;
    $('.run-text').textContent = current
      ? `Layer ${counts.done + 1} of ${counts.total}: ${current.model.name} · ${current.layer.name} (${Math.round(100 * fraction)} %)`
      : 'Reading files…';
  }

  function renderModels() {
    $('.models').hidden = models.length === 0;
    $('.model-list').replaceChildren(...models.map((model) => {
      const done = model.layers.filter((l) => l.status === 'done').length;
      const failed = model.layers.filter((l) => l.status === 'error').length;
      const cancelled = model.layers.filter((l) => l.status === 'cancelled').length;
      const facts = [];
      if (model.reading) facts.push('reading…');
      else if (!model.error || model.layers.length) {
        facts.push(plural(model.layers.length, 'layer'));
        const samples = model.labels ? model.labels.length : model.layers[0]?.shape[0];
        if (samples !== undefined) facts.push(`${samples} samples`);
        if (model.predictions) facts.push('with predictions');
        if (model.imported) facts.push(`results loaded from ${model.imported}`);
        else if (done < model.layers.length) facts.push(`${done} analysed`);
        if (failed) facts.push(`${failed} failed`);
        if (cancelled) facts.push(`${cancelled} cancelled`);
      }
      const files = model.files.length > 1 || model.files[0] !== model.name ? model.files.join(', ') : null;
      return h('li', { dataset: { testid: 'model' } },
        h('div', { class: 'model-text' },
          h('strong', {}, model.name), h('span', { class: 'model-info' }, facts.length ? ` — ${facts.join(', ')}` : ''),
          files && h('div', { class: 'model-files' }, files),
          model.error && h('p', { class: 'error-text', dataset: { testid: 'model-error' } }, model.error),
          model.layers.filter((l) => l.status === 'error' && l.error).map((l) =>
            h('p', { class: 'error-text', dataset: { testid: 'layer-error', layer: l.name } }, l.error)),
          model.error && /no labels found|no array, file or column is named/.test(model.error) &&
            h('p', { class: 'caption' }, 'In this page, type the label array\'s name (or its file\'s stem, or its column) in “Label array name” above, then add the files again.')),
        h('button', { type: 'button', class: 'remove', 'aria-label': `Remove ${model.name}`, onclick: () => removeModel(model) }, 'Remove'));
    }));
  }

  let drawnWidth = 0;
  function renderChart() {
    const withResults = models.filter((m) => m.layers.some((l) => l.result));
    alphaCard.element.hidden = withResults.length === 0;
    if (!withResults.length) return;
    drawnWidth = chartWidthNow();
    alphaCard.render(alphaChart(withResults, { width: drawnWidth }));
  }
  const chartWidthNow = () => Math.max(300, Math.min(alphaCard.holder.clientWidth || element.clientWidth - 40 || 760, 1400));
  let resizePending = false;
  window.addEventListener('resize', () => {
    if (resizePending || element.hidden) return;
    resizePending = true;
    requestAnimationFrame(() => {
      resizePending = false;
      if (Math.abs(chartWidthNow() - drawnWidth) > 8) renderChart();
    });
  });

  // --- detail -------------------------------------------------------------------------------------
  function openDetail(model, layer) {
    if (!layer.result) return;
    closeDetail();
    const view = layerDetail({ model, layer, getProbe, onClose: () => closeDetail(true) });
    selected = { model, layer, view };
    $('.detail-holder').append(view.element);
    table.render(models, layer);
    view.element.scrollIntoView({ behavior: 'smooth', block: 'start' });
    view.focus();
  }

  function closeDetail(returnFocus = false) {
    if (!selected) return;
    const { layer, view } = selected;
    view.close();
    view.element.remove();
    selected = null;
    table.render(models, null);
    if (returnFocus) [...element.querySelectorAll('[data-testid="layer-row"]')].find((row) => row.model && row.model.layers.includes(layer))?.focus();
  }

  // --- export -------------------------------------------------------------------------------------
  function resultLayers() {
    return models.flatMap((model) => model.layers.map((layer) => {
      if (layer.result) return { ...layer.result, model: model.name };
      return { name: layer.name, model: model.name, samples: layer.shape[0], features: layer.shape[1], alpha: null,
        status: layer.status === 'error' || layer.status === 'cancelled' ? layer.status : 'not analysed', ...(layer.error ? { error: layer.error } : {}) };
    }));
  }
  $('[data-testid="export-json"]').addEventListener('click', async () => {
    const probe = await getProbe();
    const settings = models.find((m) => m.settings)?.settings || await probe.settings(formSettings()).catch(() => formSettings());
    const document = toDocument({ version: probe.version, settings, models, layers: resultLayers() });
    downloadText(`${JSON.stringify(document, null, 1)}\n`, 'sparsity-probe-results.json', 'application/json');
  });
  $('[data-testid="export-csv"]').addEventListener('click', () => downloadText(toCsv(resultLayers()), 'sparsity-probe-results.csv', 'text/csv'));

  return {
    // Back on the view after another: the chart may have been drawn while hidden, at a guessed width.
    onRoute() {
      requestAnimationFrame(() => {
        if (Math.abs(chartWidthNow() - drawnWidth) > 8) renderChart();
      });
    },
  };
}
