// The sampler panel: chains, draws, tune and seed (bounded whole numbers), the Sample and Stop buttons, and where progress shows.
import { el } from './dom.js';
import { LIMITS } from './urlState.js';
import type { SamplerSettings } from './fitRun.js';

/** The panel, and how the page talks to it. */
export interface SettingsPanel {
  readonly element: HTMLElement;
  readonly sampleButton: HTMLButtonElement;
  readonly stopButton: HTMLButtonElement;
  /** Where the per-chain progress table goes. */
  readonly progress: HTMLElement;
  /** The settings, or the first invalid one's message. */
  value(): SamplerSettings | { readonly error: string };
  /** Disables the inputs while sampling. */
  setRunning(running: boolean): void;
}

type SettingName = keyof SamplerSettings;

/**
 * Builds the sampler panel.
 *
 * @param initial - the settings from the URL
 * @param onChange - called after every change (for the URL)
 * @returns the panel
 */
export function settingsPanel(initial: SamplerSettings, onChange: () => void): SettingsPanel {
  const names: SettingName[] = ['chains', 'draws', 'tune', 'seed'];
  const inputs = Object.fromEntries(
    names.map((n) => [n, el('input', { attrs: { type: 'number', id: n, min: String(LIMITS[n].min), max: String(LIMITS[n].max), step: '1', value: String(initial[n]) } })]),
  ) as Record<SettingName, HTMLInputElement>;
  for (const input of Object.values(inputs)) input.addEventListener('input', onChange);
  const sampleButton = el('button', { className: 'primary', text: 'Sample', attrs: { type: 'button', id: 'sample' } });
  const stopButton = el('button', { text: 'Stop', attrs: { type: 'button', id: 'stop', disabled: '' } });
  const progress = el('div', { attrs: { id: 'progress' } });
  const element = el('section', { className: 'panel', attrs: { id: 'sampler-panel' } }, [
    el('h2', { text: 'NUTS' }),
    el(
      'div',
      { className: 'settings' },
      names.map((n) => el('label', { text: n, attrs: { for: n } }, [inputs[n]])),
    ),
    el('div', { className: 'buttons' }, [sampleButton, stopButton]),
    progress,
  ]);
  return {
    element,
    sampleButton,
    stopButton,
    progress,
    value() {
      const out: Partial<Record<SettingName, number>> = {};
      for (const n of names) {
        const v = Number(inputs[n].value);
        const { min, max } = LIMITS[n];
        if (inputs[n].value.trim() === '' || !Number.isInteger(v) || v < min || v > max) return { error: `${n}: expected a whole number from ${min} to ${max}` };
        out[n] = v;
      }
      return out as SamplerSettings;
    },
    setRunning(running: boolean): void {
      for (const input of Object.values(inputs)) input.disabled = running;
      sampleButton.disabled = running;
      stopButton.disabled = !running;
    },
  };
}
