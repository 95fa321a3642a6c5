// Placeholder until the Learn view lands.
export function mountLearn(element) {
  element.textContent = 'Learn view';
  return {};
}
