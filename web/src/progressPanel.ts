// Live per-chain progress in the page: a ProgressSink that shows each chain's phase, iterations, draws, divergences and step size.
import type { ChainProgress, ProgressSink } from 'nutmeg';
import { el, formatNumber } from './dom.js';

/** One chain's row of cells. */
interface ChainRow {
  readonly row: HTMLTableRowElement;
  readonly phase: HTMLTableCellElement;
  readonly bar: HTMLProgressElement;
  readonly draws: HTMLTableCellElement;
  readonly divergences: HTMLTableCellElement;
  readonly stepSize: HTMLTableCellElement;
  readonly rate: HTMLTableCellElement;
}

const PHASE_TEXT: Readonly<Record<ChainProgress['phase'] | 'waiting', string>> = {
  waiting: 'waiting',
  warmup: 'warm-up',
  sampling: 'sampling',
  done: 'done',
  stopped: 'stopped',
};

/**
 * A progress table for `chains` chains. Chains that have not reported yet show "waiting" (in a
 * browser without workers they run one after another).
 *
 * @param container - where the table goes (its children are replaced)
 * @param chains - number of chains
 * @param draws - draws per chain
 * @param tune - warm-up iterations per chain
 * @returns the sink to pass as sample()'s `progress`
 */
export function progressPanel(container: HTMLElement, chains: number, draws: number, tune: number): ProgressSink {
  const head = el('tr', {}, ['chain', 'phase', 'progress', 'draws', 'div.', 'step', 'it/s'].map((h) => el('th', { text: h })));
  const rows: ChainRow[] = [];
  const body = el('tbody');
  for (let c = 0; c < chains; c++) {
    const bar = el('progress', { attrs: { max: String(draws + tune), value: '0' } });
    const r: ChainRow = {
      row: el('tr', { attrs: { 'data-chain': String(c), 'data-phase': 'waiting' } }),
      phase: el('td', { text: PHASE_TEXT.waiting }),
      bar,
      draws: el('td', { className: 'num', text: `0/${draws}` }),
      divergences: el('td', { className: 'num', text: '0' }),
      stepSize: el('td', { className: 'num', text: '—' }),
      rate: el('td', { className: 'num', text: '—' }),
    };
    r.row.append(el('td', { className: 'num', text: String(c) }), r.phase, el('td', {}, [bar]), r.draws, r.divergences, r.stepSize, r.rate);
    rows.push(r);
    body.append(r.row);
  }
  container.replaceChildren(el('table', { className: 'progress' }, [el('thead', {}, [head]), body]));
  return {
    update(e: ChainProgress): void {
      const r = rows[e.chain];
      if (!r) return;
      const done = e.tuneDone + e.drawsDone;
      r.row.dataset.phase = e.phase;
      r.row.dataset.draws = String(e.drawsDone);
      r.phase.textContent = PHASE_TEXT[e.phase];
      r.bar.value = done;
      r.draws.textContent = `${e.drawsDone}/${e.draws}`;
      r.divergences.textContent = String(e.divergences);
      r.stepSize.textContent = formatNumber(e.stepSize, 3);
      r.rate.textContent = e.elapsedSeconds > 0 ? String(Math.round(done / e.elapsedSeconds)) : '—';
    },
    finish(): void {
      container.dataset.finished = 'true';
    },
  };
}
