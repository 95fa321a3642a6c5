// The Learn view: approximation theory live on 2-D toy data. Every control change recomputes in
// the worker (a stale run is cancelled) and the URL keeps the state.
import { chartCard, chartWidth } from '../charts.js';
import { angleChart, mtermChart, tauChart } from '../curves.js';
import { createPlane, drawApproximation, drawPartition, normalisedPoints } from './plane.js';
import { datasets, defaultNoise, fromParams, settingsOf, toParams } from './state.js';

const grid = 96;

// The controls that change the data or the forest (the others only change what is drawn).
const heavy = ['set', 'samples', 'noise', 'labelNoise', 'seed', 'trees', 'depth', 'measure', 'epsLow', 'epsHigh', 'epsUnit'];
const heavyKey = (state) => heavy.map((k) => state[k]).join('|');

const template = `
  <div class="learn">
    <form class="card controls" aria-label="Data and forest settings">
      <h2>Data</h2>
      <label>Data set <select name="set">${datasets.map((d) => `<option value="${d}">${d.replace('-', ' ')}</option>`).join('')}</select></label>
      <label>Samples <output name="samplesOut"></output><input type="range" name="samples" min="100" max="5000" step="100"></label>
      <label>Position noise <output name="noiseOut"></output><input type="range" name="noise" min="0" max="1" step="0.01"></label>
      <label>Label noise <output name="labelNoiseOut"></output><input type="range" name="labelNoise" min="0" max="0.5" step="0.05"></label>
      <label>Seed <input type="number" name="seed" min="0" step="1"></label>
      <h2>Forest</h2>
      <label>Trees <output name="treesOut"></output><input type="range" name="trees" min="1" max="10" step="1"></label>
      <label>Depth <output name="depthOut"></output><input type="range" name="depth" min="1" max="20" step="1"></label>
      <label>Measure |Ω| <select name="measure"><option value="volume">volume (paper)</option><option value="samples">samples (authors' code)</option></select></label>
      <div class="pair">
        <label>ε low <input type="number" name="epsLow" min="0" step="0.05"></label>
        <label>ε high <input type="number" name="epsHigh" min="0" step="0.05"></label>
      </div>
      <label>ε unit <select name="epsUnit"><option value="rad">radians (paper)</option><option value="deg">degrees (authors' code)</option></select></label>
      <p class="hint">Moving a control recomputes in a worker; the page stays responsive and the URL keeps the view.</p>
    </form>
    <div class="learn-main">
      <section class="card score" aria-live="polite">
        <div class="alpha" data-testid="alpha">α* = …</div>
        <p class="alpha-detail"></p>
        <p class="caption">α* = 1/τ* − 1/2 measures how smooth the labels are as a function of the points: the higher it is, the fewer, larger wavelets describe the classes — the better this representation separates them. Label noise lowers it; a random labelling gives the lowest.</p>
        <p class="error-text" role="alert"></p>
      </section>
      <div class="grid planes">
        <figure class="card">
          <figcaption><h3>A tree's partition</h3>
            <div class="inline-controls">
              <label>Tree <select name="tree"></select></label>
              <label><input type="checkbox" name="linear"> linear probe</label>
            </div>
          </figcaption>
          <div class="plane" data-testid="partition"></div>
          <p class="caption partition-caption">Each cell is a leaf of the tree; the stronger its shade, the larger its wavelet ‖ψ‖ = ‖E<sub>cell</sub> − E<sub>parent</sub>‖·|cell|<sup>½</sup>. Cuts concentrate along the class boundary.</p>
        </figure>
        <figure class="card">
          <figcaption><h3>N-term approximation f<sub>M</sub></h3>
            <label class="m-label">M = <output name="mOut"></output><input type="range" name="m" min="0" step="1"></label>
          </figcaption>
          <div class="plane" data-testid="approximation"></div>
          <p class="caption">The forest keeping only its M largest wavelets: its mean plus the M terms that matter most. A few wavelets already draw the boundary when the function is smooth.</p>
        </figure>
      </div>
      <div class="grid curves"></div>
    </div>
  </div>`;

export function mountLearn(element, { getProbe, params }) {
  element.innerHTML = template;
  const form = element.querySelector('form');
  const field = (name) => element.querySelector(`[name="${name}"]`);
  const errorText = element.querySelector('.score .error-text');
  const partitionCanvas = createPlane(element.querySelector('[data-testid="partition"]'), 'Scatter of the points with the partition of one tree');
  const approximationCanvas = createPlane(element.querySelector('[data-testid="approximation"]'), 'Heat map of the M-term approximation');
  const curves = element.querySelector('.curves');
  const tauCard = chartCard({ title: 'τ-sparsity N_τ', fileName: 'n-tau', caption: 'N_τ = (1/J)(Σ‖ψ‖^τ)^{1/τ} over all wavelets of the forest, on a log axis. It explodes below the critical τ*: the smaller τ* is, the sparser (smoother) the function.' });
  const angleCard = chartCard({ title: 'Angle of the derivative', fileName: 'angle', caption: 'θ = arctan N′_τ. The shaded band is [−π/2 + ε_low, −π/2 + ε_high]; τ* is the mean of the τ whose angle falls in it (green dots), the dashed line.' });
  const mtermCard = chartCard({ title: 'M-term error', fileName: 'm-term', caption: '' });
  curves.append(tauCard.element, angleCard.element, mtermCard.element);

  let state = fromParams(params);
  let run = null;          // { controller, token } of the computation in flight
  let token = 0;
  let latest = null;       // { data, result, explanation, points }

  function writeControls() {
    for (const [name, value] of Object.entries(state)) {
      const input = field(name);
      if (!input) continue;
      if (input.type === 'checkbox') input.checked = value;
      else input.value = String(value);
    }
    field('samplesOut').value = state.samples;
    field('noiseOut').value = state.noise.toFixed(2);
    field('labelNoiseOut').value = `${Math.round(state.labelNoise * 100)} %`;
    field('treesOut').value = state.trees;
    field('depthOut').value = state.depth;
    field('mOut').value = state.m;
    const treeSelect = field('tree');
    treeSelect.replaceChildren(...Array.from({ length: state.trees }, (_, t) => new Option(`${t + 1} of ${state.trees}`, String(t))));
    treeSelect.value = String(Math.min(state.tree, state.trees - 1));
  }

  function readControls() {
    const next = { ...state };
    next.set = field('set').value;
    for (const name of ['samples', 'seed', 'trees', 'depth', 'tree', 'm']) next[name] = Math.max(0, Math.round(Number(field(name).value) || 0));
    for (const name of ['noise', 'labelNoise', 'epsLow', 'epsHigh']) next[name] = Number(field(name).value) || 0;
    next.measure = field('measure').value;
    next.epsUnit = field('epsUnit').value;
    next.linear = field('linear').checked;
    next.tree = Math.min(next.tree, next.trees - 1);
    return next;
  }

  function saveUrl() {
    history.replaceState(null, '', `#/learn?${toParams(state)}`);
    markCurrent();
  }

  // The score element names the URL state it is valid for, once the computation for the current
  // data and forest settings has finished (tests, and anyone sharing a link, can tell).
  function markCurrent() {
    const alpha = element.querySelector('[data-testid="alpha"]');
    if (latest && latest.key === heavyKey(state)) alpha.dataset.for = toParams(state).toString();
    else delete alpha.dataset.for;
  }

  // What needs recomputing when the state changes: the data and forest, or only the drawings.
  function changed(previous, next) {
    if (heavyKey(previous) !== heavyKey(next)) return 'compute';
    if (previous.m !== next.m) return 'approximate';
    return 'draw';
  }

  let debounce = null;
  form.addEventListener('input', onInput);
  element.querySelector('.planes').addEventListener('input', onInput);
  function onInput(event) {
    const previous = state;
    const next = readControls();
    if (event.target.name === 'set') next.noise = defaultNoise[next.set];
    state = next;
    writeControls();
    saveUrl();
    // Heavy changes wait for the slider to settle; a light change never drops a pending one.
    const what = changed(previous, state);
    if (what === 'compute') {
      clearTimeout(debounce);
      debounce = setTimeout(compute, 120);
    } else if (what === 'approximate') approximate();
    else draw();
  }

  async function compute() {
    if (run) run.controller.abort();
    const controller = new AbortController();
    const mine = { controller, token: ++token };
    run = mine;
    element.classList.add('busy');
    errorText.textContent = '';
    const computedFor = heavyKey(state);
    try {
      const probe = await getProbe();
      const settings = settingsOf(state);
      const data = await probe.demo(state.set, { samples: state.samples, noise: state.noise, labelNoise: state.labelNoise, seed: state.seed }, { signal: controller.signal });
      const result = await probe.analyze({ name: state.set, data: data.data, shape: data.shape, labels: data.labels, settings, signal: controller.signal });
      const explanation = await probe.explain({ name: state.set, data: data.data, shape: data.shape, labels: data.labels, settings, grid, signal: controller.signal });
      if (run !== mine) return;
      latest = { data, result, explanation, settings, points: normalisedPoints(data.data, explanation), key: computedFor };
      field('m').max = String(explanation.wavelets);
      if (state.m > explanation.wavelets) {
        state.m = explanation.wavelets;
        writeControls();
        saveUrl();
      }
      showScore();
      markCurrent();
      draw();
      await approximate();
    } catch (error) {
      if (error.name === 'AbortError') return;
      errorText.textContent = error.message;
    } finally {
      if (run === mine) {
        run = null;
        element.classList.remove('busy');
      }
    }
  }

  let approximating = false;
  let wanted = null;
  // Only the newest M matters; requests made while one is in flight collapse into one.
  async function approximate() {
    if (!latest) return;
    wanted = state.m;
    if (approximating) return;
    approximating = true;
    try {
      while (wanted !== null) {
        const m = wanted;
        wanted = null;
        const probe = await getProbe();
        const values = await probe.approximate(m, { grid });
        if (!latest) return;
        drawApproximation(approximationCanvas, { values, classes: latest.explanation.classes, points: latest.points, labels: latest.data.labels });
        mtermCard.render(mtermChart(latest.result, { width: chartWidth(mtermCard.holder), m }));
      }
    } catch (error) {
      // The worker restarts after a cancelled run and forgets its forest; the next compute redraws.
      if (error.name !== 'AbortError' && !/no explained forest/.test(error.message)) errorText.textContent = error.message;
    } finally {
      approximating = false;
    }
  }

  function showScore() {
    const { result, explanation } = latest;
    const alpha = element.querySelector('[data-testid="alpha"]');
    const detail = element.querySelector('.alpha-detail');
    if (result.status === 'ok') {
      alpha.textContent = `α* = ${result.alpha.toFixed(3)}`;
      alpha.dataset.value = String(result.alpha);
      detail.textContent = `± ${result.alpha_std.toFixed(3)} over ${result.alpha_per_seed.length} seeds · τ* = ${result.tau_star.toFixed(3)} · M-term rate ${result.alpha_mterm === null ? '–' : result.alpha_mterm.toFixed(2)} · ${result.wavelets} wavelets · linear probe accuracy ${(100 * explanation.linear_accuracy).toFixed(0)} %`;
    } else {
      alpha.textContent = 'α* undetermined';
      alpha.dataset.value = '';
      detail.textContent = result.reason || '';
    }
    mtermCard.setCaption(`Training error of f_M against M on log–log axes. Its slope, ${result.alpha_mterm === null ? 'undetermined' : `r = ${result.alpha_mterm.toFixed(2)}`} (alpha_mterm), is a second estimate of the smoothness: the error falls like M^−r.`);
  }

  function draw() {
    if (!latest) return;
    const { explanation, points, data, result, settings } = latest;
    const tree = Math.min(state.tree, explanation.trees - 1);
    drawPartition(partitionCanvas, { nodes: explanation.partitions[tree], points, labels: data.labels, linearGrid: explanation.linear_grid, showLinear: state.linear });
    element.querySelector('.partition-caption').innerHTML = state.linear
      ? `Coloured background: the linear probe's decision regions (training accuracy ${(100 * explanation.linear_accuracy).toFixed(0)} %). A line cannot follow this boundary — the paper's Figure 3 — while the forest's cells can.`
      : 'Each cell is a leaf of the tree; the stronger its shade, the larger its wavelet ‖ψ‖ = ‖E<sub>cell</sub> − E<sub>parent</sub>‖·|cell|<sup>½</sup>. Cuts concentrate along the class boundary.';
    tauCard.render(tauChart(result, { width: chartWidth(tauCard.holder) }));
    angleCard.render(angleChart(result, settings, { width: chartWidth(angleCard.holder) }));
  }

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      draw();
      approximate();
    }, 150);
  });

  writeControls();
  saveUrl();
  compute();

  return {
    onRoute(nextParams) {
      const next = fromParams(nextParams);
      if (toParams(next).toString() === toParams(state).toString()) return;
      const previous = state;
      state = next;
      writeControls();
      if (changed(previous, state) === 'compute') compute();
      else if (changed(previous, state) === 'approximate') approximate();
      else draw();
    },
  };
}
