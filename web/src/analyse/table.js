// The table of layers. Rows are made once per layer and updated in place, so a row keeps keyboard
// focus while the layers around it finish, and progress updates touch a single cell.
import { fmt, h } from './dom.js';

export const columns = ['Model', 'Layer', 'Shape (n × d)', 'α* ± std', 'τ*', 'alpha_mterm', 'Wavelets', 'Time (s)'];
export const diagnosticColumns = ['Linear train / held-out', 'ARI', 'AMI', 'Hom.', 'Compl.', 'FM', 'NCC'];

export function layerTable({ onOpen }) {
  const body = h('tbody', { dataset: { testid: 'layer-table' } });
  const table = h('table', {},
    h('caption', { class: 'sr-only' }, 'Layers of the loaded models: α*, τ*, the M-term rate, wavelets, time and status. Press Enter on a row for its curves.'),
    h('thead', {}, h('tr', {},
      columns.map((name) => h('th', { scope: 'col' }, name)),
      diagnosticColumns.map((name) => h('th', { scope: 'col', class: 'diag' }, name)),
      h('th', { scope: 'col' }, 'Status'))),
    body);
  const rows = new WeakMap();

  function rowFor(model, layer) {
    let row = rows.get(layer);
    if (!row) {
      row = h('tr', { dataset: { testid: 'layer-row' }, tabIndex: 0 });
      row.addEventListener('click', () => onOpen(row.model, layer));
      row.addEventListener('keydown', (event) => {
        if (event.target === row && (event.key === 'Enter' || event.key === ' ')) {
          event.preventDefault();
          onOpen(row.model, layer);
        }
      });
      rows.set(layer, row);
    }
    row.model = model;
    return row;
  }

  function fill(row, model, layer) {
    const r = layer.result;
    const d = r?.diagnostics;
    const ok = r && r.status === 'ok';
    const alpha = h('td', { class: 'num', dataset: ok ? { alpha: String(r.alpha) } : {} }, ok ? `${fmt(r.alpha)} ± ${fmt(r.alpha_std)}` : '–');
    row.className = `status-${layer.status}${r ? ' has-result' : ''}`;
    row.setAttribute('aria-label', `${model.name}, layer ${layer.name}: ${ok ? `α* ${fmt(r.alpha)}` : statusText(layer)}`);
    row.replaceChildren(...[
      h('td', {}, model.name), h('th', { scope: 'row' }, layer.name),
      h('td', { class: 'num', title: r?.analysed_samples ? 'as given → as analysed (max samples, project features)' : null },
        `${layer.shape[0]} × ${layer.shape[1]}${r?.analysed_samples ? ` → ${r.analysed_samples} × ${r.analysed_features}` : ''}`), alpha,
      h('td', { class: 'num' }, fmt(r?.tau_star)), h('td', { class: 'num' }, fmt(r?.alpha_mterm)),
      h('td', { class: 'num' }, r ? String(r.wavelets) : '–'), h('td', { class: 'num' }, fmt(r?.seconds, 2)),
      h('td', { class: 'diag num' }, d ? `${fmt(d.linear_probe.train_accuracy, 2)} / ${fmt(d.linear_probe.heldout_accuracy, 2)}` : '–'),
      [d?.kmeans.adjusted_rand, d?.kmeans.adjusted_mutual_information, d?.kmeans.homogeneity, d?.kmeans.completeness,
        d?.kmeans.fowlkes_mallows, d?.ncc_mismatch].map((v) => h('td', { class: 'diag num' }, fmt(v))),
      statusCell(layer)].flat());
  }

  return {
    element: table,
    // Shows the layers of `models` in order, reusing rows; the body is rebuilt only when the set or
    // order of rows changed (moving a focused row would drop its focus).
    render(models, selected) {
      const wanted = [];
      for (const model of models) {
        for (const layer of model.layers) {
          const row = rowFor(model, layer);
          fill(row, model, layer);
          if (layer === selected) row.setAttribute('aria-current', 'true');
          else row.removeAttribute('aria-current');
          wanted.push(row);
        }
      }
      const current = [...body.children];
      if (current.length !== wanted.length || current.some((row, k) => row !== wanted[k])) body.replaceChildren(...wanted);
      table.classList.toggle('with-diagnostics', models.some((m) => m.layers.some((l) => l.result?.diagnostics)));
      return wanted.length;
    },
    // The running layer's fraction, without rebuilding its row.
    progress(layer) {
      const row = rows.get(layer);
      if (row && row.lastChild) row.lastChild.replaceWith(statusCell(layer));
    },
  };
}

export function statusText(layer) {
  switch (layer.status) {
    case 'running': return `running ${Math.round(100 * (layer.fraction || 0))} %`;
    case 'done': return layer.result.status === 'ok' ? 'ok' : `undetermined: ${layer.result.reason || 'no τ in the ε band'}`;
    case 'error': return `error: ${layer.error}`;
    case 'idle': return 'not analysed';
    default: return layer.status;  // queued, cancelled, or what an imported document says
  }
}

// The status is always the row's last cell (tests read it there). An error's message can run to
// several sentences (a size limit and its way out): the cell says "error" and keeps the message as
// its tooltip; the model list shows it in full beside the file.
function statusCell(layer) {
  const cell = layer.status === 'error'
    ? h('td', { class: 'status', title: layer.error || null }, 'error')
    : h('td', { class: 'status' }, statusText(layer));
  if (layer.status === 'running') cell.append(h('progress', { max: 1, value: layer.fraction || 0, 'aria-label': `progress of ${layer.name}` }));
  return cell;
}
