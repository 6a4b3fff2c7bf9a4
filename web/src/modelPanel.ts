// The model panel: a radon tutorial model by name, or a brms formula (validated as you type, the error position marked) with its family and priors.
import { FAMILIES, formatPriorSummary, type FamilyName } from 'nutmeg';
import type { CsvTable } from '@nutmeg/cli/browser';
import { el } from './dom.js';
import { errorCaret } from './errorCaret.js';
import { checkFormula, type FormulaCheck } from './formulaCheck.js';
import { RADON_MODEL_DESCRIPTIONS, RADON_MODEL_NAMES, type RadonModelName } from './radonModels.js';

/** What the panel holds. */
export interface ModelChoice {
  readonly model: RadonModelName | null;
  readonly formula: string;
  readonly family: FamilyName;
  readonly priors: readonly string[];
}

/** The panel, and how the page talks to it. */
export interface ModelPanel {
  readonly element: HTMLElement;
  value(): ModelChoice;
  /** The data changed: radon models are offered only on the radon table. */
  setTable(table: CsvTable, isRadon: boolean): void;
  /** The result of the latest formula check (null in radon-model mode). */
  check(): FormulaCheck | null;
}

/** Delay after the last key press before the formula is checked, ms. */
const CHECK_DELAY_MS = 120;

/**
 * Builds the model panel.
 *
 * @param initial - the state from the URL
 * @param onChange - called after every change (for the URL)
 * @returns the panel
 */
export function modelPanel(initial: ModelChoice, onChange: () => void): ModelPanel {
  let table: CsvTable | null = null;
  let isRadon = true;
  let lastCheck: FormulaCheck | null = null;

  const modeRadon = el('input', { attrs: { type: 'radio', name: 'mode', value: 'radon', id: 'mode-radon' } });
  const modeFormula = el('input', { attrs: { type: 'radio', name: 'mode', value: 'formula', id: 'mode-formula' } });
  const modelSelect = el(
    'select',
    { attrs: { id: 'model' } },
    RADON_MODEL_NAMES.map((n) => el('option', { text: `${n} — ${RADON_MODEL_DESCRIPTIONS[n]}`, attrs: { value: n } })),
  );
  const formulaInput = el('textarea', { attrs: { id: 'formula', rows: '2', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'formula-status' } });
  const familySelect = el('select', { attrs: { id: 'family' } }, Object.keys(FAMILIES).map((f) => el('option', { text: f, attrs: { value: f } })));
  const priorsInput = el('textarea', { attrs: { id: 'priors', rows: '2', spellcheck: 'false', placeholder: 'normal(0, 1): b\nexponential(1): sigma' } });
  const formulaStatus = el('div', { className: 'formula-status', attrs: { id: 'formula-status', role: 'status', 'aria-live': 'polite' } });
  const priorSummary = el('pre', { className: 'priors', attrs: { id: 'prior-summary' } });

  modelSelect.value = initial.model ?? 'hierarchical_noncentered';
  formulaInput.value = initial.formula;
  familySelect.value = initial.family;
  priorsInput.value = initial.priors.join('\n');
  (initial.model !== null ? modeRadon : modeFormula).checked = true;

  const radonBlock = el('div', { className: 'radon-model', attrs: { id: 'radon-block' } }, [el('label', { text: 'Tutorial model', attrs: { for: 'model' } }), modelSelect]);
  const formulaBlock = el('div', { className: 'formula-model', attrs: { id: 'formula-block' } }, [
    el('label', { text: 'Formula (brms syntax)', attrs: { for: 'formula' } }),
    formulaInput,
    formulaStatus,
    el('div', { className: 'row' }, [el('label', { text: 'Family', attrs: { for: 'family' } }), familySelect]),
    el('label', { text: 'Priors (one per line, e.g. normal(0, 2): b; empty lines use brms defaults)', attrs: { for: 'priors' } }),
    priorsInput,
    el('details', {}, [el('summary', { text: 'Priors used (prior_summary)' }), priorSummary]),
  ]);
  const element = el('section', { className: 'panel', attrs: { id: 'model-panel' } }, [
    el('h2', { text: 'Model' }),
    el('div', { className: 'modes' }, [
      el('label', {}, [modeRadon, document.createTextNode(' radon tutorial model')]),
      el('label', {}, [modeFormula, document.createTextNode(' formula')]),
    ]),
    radonBlock,
    formulaBlock,
  ]);

  const priorLines = (): string[] => priorsInput.value.split('\n').map((s) => s.trim()).filter((s) => s.length > 0);
  const inFormulaMode = (): boolean => modeFormula.checked || !isRadon;

  const runCheck = (): void => {
    if (!inFormulaMode() || table === null) {
      lastCheck = null;
      return;
    }
    lastCheck = checkFormula(formulaInput.value, familySelect.value as FamilyName, priorLines(), table);
    showCheck(lastCheck, formulaStatus, priorSummary, formulaInput, priorsInput);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const scheduleCheck = (): void => {
    clearTimeout(timer);
    timer = setTimeout(runCheck, CHECK_DELAY_MS);
  };
  const layout = (): void => {
    modeRadon.disabled = !isRadon;
    if (!isRadon) modeFormula.checked = true;
    radonBlock.hidden = inFormulaMode();
    formulaBlock.hidden = !inFormulaMode();
  };
  for (const control of [modeRadon, modeFormula, modelSelect, familySelect]) {
    control.addEventListener('change', () => {
      layout();
      runCheck();
      onChange();
    });
  }
  for (const control of [formulaInput, priorsInput]) {
    control.addEventListener('input', () => {
      scheduleCheck();
      onChange();
    });
  }
  layout();

  return {
    element,
    value: () => ({
      model: inFormulaMode() ? null : (modelSelect.value as RadonModelName),
      formula: formulaInput.value,
      family: familySelect.value as FamilyName,
      priors: priorLines(),
    }),
    setTable(t: CsvTable, radon: boolean): void {
      table = t;
      isRadon = radon;
      layout();
      runCheck();
    },
    check: () => {
      runCheck();
      return lastCheck;
    },
  };
}

/** Shows a check's outcome under the formula: OK with the parameters, or the message with the position marked. */
function showCheck(c: FormulaCheck, status: HTMLElement, priorSummary: HTMLElement, formula: HTMLTextAreaElement, priors: HTMLTextAreaElement): void {
  formula.classList.toggle('invalid', !c.ok && c.position?.field !== 'prior');
  priors.classList.toggle('invalid', !c.ok && c.position?.field === 'prior');
  status.dataset.valid = String(c.ok);
  if (c.ok) {
    status.replaceChildren(el('span', { className: 'ok', text: `✓ ${c.parameters.length} parameters: ${c.parameters.join(', ')}` }));
    priorSummary.textContent = formatPriorSummary(c.priors);
    return;
  }
  const parts: Node[] = [el('span', { className: 'error', attrs: { id: 'formula-error' }, text: c.message })];
  if (c.position) parts.push(errorCaret(c.position.text, c.position.offset));
  status.replaceChildren(...parts);
}
