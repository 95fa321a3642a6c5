// A small element builder, so the view's DOM reads as a tree instead of a page of
// createElement/setAttribute calls. Strings become text nodes: nothing is parsed as HTML, so file
// names and error messages are shown exactly as they are.
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'tabIndex') element[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  element.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export const fmt = (value, digits = 3) =>
  value === null || value === undefined || Number.isNaN(Number(value)) ? '–' : Number(value).toFixed(digits);

export const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
