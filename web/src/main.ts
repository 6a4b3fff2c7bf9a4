// The web app's entry: builds the panels, keeps the URL in step with them, and runs a fit on Sample (or on load with autorun=1), publishing the automation hook.
import type { CsvTable } from '@nutmeg/cli/browser';
import { el, must } from './dom.js';
import { dataPanel } from './dataPanel.js';
import { modelPanel } from './modelPanel.js';
import { settingsPanel } from './settingsPanel.js';
import { progressPanel } from './progressPanel.js';
import { radonTable } from './radonCsv.js';
import { parseState, stateToSearch, type AppState } from './urlState.js';
import { prepareModel, type FitRequest } from './fitModel.js';
import { runFit } from './fitRun.js';
import { showResults } from './resultsView.js';
import { publishResult, setStatus } from './automationHook.js';
import { warmUpCharts } from './charts.js';

/** The running app's mutable parts. */
interface Session {
  table: CsvTable;
  source: 'radon' | 'file';
  controller: AbortController | null;
}

/** Builds the page from the URL's state and wires the panels, the URL and the Sample and Stop buttons. */
function start(): void {
  const app = must(document, '#app');
  const { state, problems } = parseState(location.search);
  const radon = radonTable();
  const session: Session = { table: radon, source: 'radon', controller: null };

  const notices = el('ul', { className: 'notices', attrs: { id: 'notices' } }, problems.map((p) => el('li', { text: p })));
  notices.hidden = problems.length === 0;
  const runMessage = el('p', { className: 'run-message', attrs: { id: 'run-message', role: 'status', 'aria-live': 'polite' } });
  const results = el('section', { className: 'results', attrs: { id: 'results' } }, [
    el('div', { className: 'intro' }, [
      el('p', { text: 'Pick a radon tutorial model, or open a CSV file and write a brms formula; then press Sample.' }),
      el('p', { text: 'Sampling runs in this tab: the data never leave your computer. The page address records the model and settings, so a link reproduces the fit.' }),
    ]),
  ]);

  const syncUrl = (): void => {
    const s = settings.value();
    const m = model.value();
    if ('error' in s) return;
    const next: AppState = { ...state, ...m, ...s, data: session.source, autorun: false };
    history.replaceState(null, '', stateToSearch(next));
  };
  const model = modelPanel(state, syncUrl);
  const settings = settingsPanel(state, syncUrl);
  const data = dataPanel((table, source) => {
    session.table = table;
    session.source = source;
    data.show(table);
    model.setTable(table, source === 'radon');
    syncUrl();
  }, radonTable);
  data.show(radon);
  model.setTable(radon, true);

  const controls = el('div', { className: 'controls' }, [notices, data.element, model.element, settings.element, runMessage]);
  app.replaceChildren(controls, results);

  const fail = (message: string): void => {
    runMessage.textContent = message;
    runMessage.className = 'run-message error';
    setStatus('error', message);
  };

  const run = async (): Promise<void> => {
    if (session.controller) return;
    const s = settings.value();
    if ('error' in s) return fail(s.error);
    const choice = model.value();
    const request: FitRequest =
      choice.model !== null
        ? { kind: 'radon', name: choice.model, table: session.table }
        : { kind: 'formula', formula: choice.formula, family: choice.family, priors: choice.priors, table: session.table };
    let prepared;
    try {
      prepared = prepareModel(request);
    } catch (e) {
      model.check();
      return fail((e as Error).message);
    }
    const controller = new AbortController();
    session.controller = controller;
    setStatus('running');
    settings.setRunning(true);
    runMessage.className = 'run-message';
    runMessage.textContent = `Sampling ${prepared.title}…`;
    try {
      const progress = progressPanel(settings.progress, s.chains, s.draws, s.tune);
      const outcome = await runFit(prepared, s, { progress, signal: controller.signal, onStage: (stage) => (runMessage.textContent = `Computing the ${stage}…`) });
      runMessage.textContent = 'Drawing the plots…';
      await showResults(results, outcome);
      runMessage.textContent = outcome.incomplete ? 'Stopped: the draws so far are shown.' : `Done in ${outcome.samplingSeconds.toFixed(2)} s of sampling.`;
      publishResult(outcome);
    } catch (e) {
      fail((e as Error).message);
    } finally {
      session.controller = null;
      settings.setRunning(false);
    }
  };
  settings.sampleButton.addEventListener('click', () => void run());
  settings.stopButton.addEventListener('click', () => session.controller?.abort());

  history.replaceState(null, '', stateToSearch({ ...state, autorun: false }) + (state.autorun ? '&autorun=1' : ''));
  // The charting libraries load while the page waits for the user (not during an autorun's sampling, which runs in this thread).
  if (state.autorun) void run();
  else setTimeout(() => void warmUpCharts(), 500);
}

setStatus('idle');
start();
