// Placeholder until the Analyse view lands.
export function mountAnalyse(element) {
  element.textContent = 'Analyse view';
  return {};
}
