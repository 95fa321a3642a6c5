// Canvas drawings in the normalised square [0,1]² of the two features: the points by class, a
// tree's partition shaded by wavelet norm, and grids (f_M, the linear probe) as heat maps.
const margin = 0.03;  // the square plus a little room, so points on the edge stay visible

export function classColors(element) {
  const style = getComputedStyle(element);
  return [0, 1, 2, 3, 4].map((k) => style.getPropertyValue(`--class-${k}`).trim() || '#888');
}

export function createPlane(holder, label) {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  holder.replaceChildren(canvas);
  return canvas;
}

// Prepare a square canvas at device resolution; returns the 2-D context and a mapping from
// normalised coordinates to pixels (y upwards).
function begin(canvas) {
  const size = Math.max(220, Math.min(canvas.parentElement.clientWidth || 420, 460));
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(size * ratio);
  canvas.height = Math.round(size * ratio);
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, size, size);
  const span = size / (1 + 2 * margin);
  const x = (u) => (u + margin) * span;
  const y = (v) => size - (v + margin) * span;
  return { context, size, x, y, span };
}

// Any CSS colour as [r, g, b] (a canvas normalises it to #rrggbb).
function channels(color) {
  const c = document.createElement('canvas').getContext('2d');
  c.fillStyle = color;
  const hex = c.fillStyle;
  return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
}

function rgba(color, alpha) {
  return `rgba(${channels(color).join(', ')}, ${alpha})`;
}

// Points in normalised coordinates: (value − min)/(max − min) per feature, as the core sees them.
export function normalisedPoints(data, explanation) {
  const n = data.length / 2;
  const points = new Float64Array(data.length);
  for (let f = 0; f < 2; ++f) {
    const low = explanation.minimum[f], range = explanation.maximum[f] - low || 1;
    for (let i = 0; i < n; ++i) points[2 * i + f] = (data[2 * i + f] - low) / range;
  }
  return points;
}

function drawPoints(view, points, labels, colors) {
  const { context, x, y } = view;
  const radius = points.length > 6000 ? 1.6 : 2.4;
  for (let i = 0; i < labels.length; ++i) {
    context.beginPath();
    context.arc(x(points[2 * i]), y(points[2 * i + 1]), radius, 0, 2 * Math.PI);
    context.fillStyle = colors[labels[i] % colors.length];
    context.fill();
  }
}

// A grid of cells (row-major, y upwards) drawn as one image, scaled without smoothing, so cells
// meet exactly: overlapping translucent rectangles would leave darker seams.
function drawGrid(view, cells, cellColor) {
  const size = Math.round(Math.sqrt(cells));
  const image = new ImageData(size, size);
  for (let row = 0; row < size; ++row) {
    for (let column = 0; column < size; ++column) {
      const [r, g, b, a] = cellColor(row * size + column);
      const at = 4 * ((size - 1 - row) * size + column);
      image.data.set([r, g, b, Math.round(255 * a)], at);
    }
  }
  const tile = document.createElement('canvas');
  tile.width = size;
  tile.height = size;
  tile.getContext('2d').putImageData(image, 0, 0);
  const { context, x, y } = view;
  context.imageSmoothingEnabled = false;
  context.drawImage(tile, x(0), y(1), x(1) - x(0), y(0) - y(1));
}

// The partition of one tree: leaves shaded by the norm of their wavelet, split lines on top.
export function drawPartition(canvas, { nodes, points, labels, linearGrid, showLinear }) {
  const view = begin(canvas);
  const { context, x, y } = view;
  const colors = classColors(canvas);
  const norms = nodes.filter((n) => n.log_norm !== null).map((n) => n.log_norm);
  const low = Math.min(...norms), high = Math.max(...norms);
  // Opacity of the ink from 0.04 (smallest norm) to 0.55 (largest), linear in log ‖ψ‖.
  const shade = (logNorm) => 0.04 + 0.51 * (high > low ? (logNorm - low) / (high - low) : 1);
  const ink = getComputedStyle(canvas).color;
  for (const node of nodes) {
    if (!node.leaf) continue;
    const strength = node.log_norm === null ? 0 : shade(node.log_norm);
    context.fillStyle = rgba(ink, strength);
    context.fillRect(x(node.low[0]), y(node.high[1]), x(node.high[0]) - x(node.low[0]), y(node.low[1]) - y(node.high[1]));
  }
  if (showLinear && linearGrid) {
    const rgb = colors.map(channels);
    drawGrid(view, linearGrid.length, (cell) => [...rgb[linearGrid[cell] % rgb.length], 0.22]);
  }
  drawPoints(view, points, labels, colors);
  context.strokeStyle = rgba(ink, 0.75);
  context.lineWidth = 1;
  for (const node of nodes) {
    if (node.leaf) continue;
    context.beginPath();
    if (node.feature === 0) {
      context.moveTo(x(node.threshold), y(node.low[1]));
      context.lineTo(x(node.threshold), y(node.high[1]));
    } else {
      context.moveTo(x(node.low[0]), y(node.threshold));
      context.lineTo(x(node.high[0]), y(node.threshold));
    }
    context.stroke();
  }
  context.strokeRect(x(0), y(1), x(1) - x(0), y(0) - y(1));
}

// f_M as a heat map: each cell takes the colour of its largest class, as strong as that class's
// value stands above the uniform 1/classes.
export function drawApproximation(canvas, { values, classes, points, labels }) {
  const view = begin(canvas);
  const colors = classColors(canvas);
  const cells = values.length / classes;
  const rgb = colors.map(channels);
  drawGrid(view, cells, (cell) => {
    let best = 0;
    for (let k = 1; k < classes; ++k) if (values[cell * classes + k] > values[cell * classes + best]) best = k;
    const strength = Math.max(0, Math.min(1, (values[cell * classes + best] - 1 / classes) / (1 - 1 / classes)));
    return [...rgb[best % rgb.length], 0.1 + 0.6 * strength];
  });
  drawPoints(view, points, labels, colors.map((c) => rgba(c, 0.9)));
  view.context.strokeStyle = getComputedStyle(canvas).color;
  view.context.strokeRect(view.x(0), view.y(1), view.x(1) - view.x(0), view.y(0) - view.y(1));
}
