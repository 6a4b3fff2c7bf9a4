// The CLI's browser-safe pieces, for the web app (`@nutmeg/cli/browser`): the radon tutorial's models and the CSV parser of `nutmeg fit`.
export { hierarchicalCentered, hierarchicalNonCentered, pooled, singleCounty, type Priors } from './radon/models.js';
export type { RadonData } from './radon/data.js';
export { parseCsvTable, isMissingCell, type CsvTable } from './fit/csvText.js';
