// Charts are Observable Plot SVGs inside a card with a caption and export buttons. SVG export is
// the chart itself; PNG export rasterises that SVG at twice its size.
import * as Plot from '@observablehq/plot';

export { Plot };

export function download(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(text, fileName, type = 'text/plain') {
  download(new Blob([text], { type }), fileName);
}

// The chart as standalone SVG text: colours that came from CSS are written in, so the file looks
// the same outside the page.
export function svgText(svg) {
  const clone = svg.cloneNode(true);
  const style = getComputedStyle(svg);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.style.color = style.color;
  clone.style.background = style.getPropertyValue('--surface') || 'white';
  const width = svg.getAttribute('width') || svg.clientWidth;
  const height = svg.getAttribute('height') || svg.clientHeight;
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', width);
  background.setAttribute('height', height);
  background.setAttribute('fill', getComputedStyle(document.body).backgroundColor);
  clone.insertBefore(background, clone.firstChild);
  // CSS variables mean nothing outside the page: write their current values in.
  const root = getComputedStyle(document.documentElement);
  return new XMLSerializer().serializeToString(clone)
    .replace(/var\(--([\w-]+)\)/g, (match, name) => root.getPropertyValue(`--${name}`).trim() || match);
}

export async function svgToPngBlob(svg, scale = 2) {
  const width = Number(svg.getAttribute('width') || svg.clientWidth);
  const height = Number(svg.getAttribute('height') || svg.clientHeight);
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext('2d');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

// A titled card holding one chart, a caption saying what it shows, and SVG/PNG export buttons.
export function chartCard({ title, caption, fileName }) {
  const element = document.createElement('figure');
  element.className = 'card chart-card';
  element.innerHTML = `
    <figcaption><h3></h3><div class="exports">
      <button type="button" data-export="svg" title="Download the chart as SVG">SVG</button>
      <button type="button" data-export="png" title="Download the chart as PNG">PNG</button>
    </div></figcaption>
    <div class="chart"></div>
    <p class="caption"></p>`;
  element.querySelector('h3').textContent = title;
  element.querySelector('.caption').textContent = caption || '';
  const holder = element.querySelector('.chart');
  // Plot's own legends are SVGs too; the chart is the one whose class starts with "plot".
  const chartSvg = () => holder.querySelector('svg[class^="plot"]') || holder.querySelector('svg');
  element.querySelector('[data-export="svg"]').addEventListener('click', () => {
    const svg = chartSvg();
    if (svg) downloadText(svgText(svg), `${fileName || 'chart'}.svg`, 'image/svg+xml');
  });
  element.querySelector('[data-export="png"]').addEventListener('click', async () => {
    const svg = chartSvg();
    if (svg) download(await svgToPngBlob(svg), `${fileName || 'chart'}.png`);
  });
  return {
    element,
    holder,
    render(chart) {
      holder.replaceChildren(chart);
    },
    setCaption(text) {
      element.querySelector('.caption').textContent = text;
    },
  };
}

// Width available for a chart inside its card (charts are redrawn on resize by their owners).
export function chartWidth(holder, fallback = 520) {
  const width = holder.clientWidth || holder.parentElement?.clientWidth || fallback;
  return Math.max(260, Math.min(width, 900));
}
