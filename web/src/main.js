// The page shell: two views behind hash routes (#/learn?…, #/analyse), so any static host serves
// it and a link reproduces the view's state.
import { describeEngine, getProbe } from './app-probe.js';
import { mountAnalyse } from './analyse/analyse.js';
import { mountLearn } from './learn/learn.js';

const views = {
  learn: { element: document.getElementById('learn'), mount: mountLearn, instance: null },
  analyse: { element: document.getElementById('analyse'), mount: mountAnalyse, instance: null },
};

function route() {
  const match = /^#\/(\w+)(?:\?(.*))?$/.exec(location.hash);
  const name = match && views[match[1]] ? match[1] : 'learn';
  const params = new URLSearchParams(match ? match[2] || '' : '');
  for (const [key, view] of Object.entries(views)) {
    view.element.hidden = key !== name;
    document.querySelector(`nav a[data-view="${key}"]`).setAttribute('aria-current', key === name ? 'page' : 'false');
  }
  const view = views[name];
  if (!view.instance) view.instance = view.mount(view.element, { getProbe, params });
  else if (view.instance.onRoute) view.instance.onRoute(params);
}

window.addEventListener('hashchange', route);
route();

const engine = document.getElementById('engine');
getProbe().then(
  (probe) => {
    engine.textContent = describeEngine(probe);
    engine.dataset.build = probe.build;
  },
  (error) => {
    engine.textContent = `The WebAssembly core could not start: ${error.message}`;
    engine.classList.add('error');
  });
