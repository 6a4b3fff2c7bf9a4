// Public exports of src/io: results to and from ArviZ JSON, CmdStan CSV and the plain draws JSON format.
export { toArvizJson, arvizJsonChunks, fromArvizJson, looksLikeArvizJson } from './arvizJson.js';
export { toStanCsv, stanCsvChunks, fromStanCsv, fromStanCsvChains, STAN_SAMPLE_STATS } from './stanCsv.js';
export { StanCsvChainReader, readStanCsvChain, type StanCsvChain } from './stanCsvChain.js';
export type { StanCsvHeader, StanSampleConfig, StanMethod } from './stanCsvHeader.js';
export { fromDrawsJson, toDrawsJson } from './drawsJson.js';
export { parseJsonText } from './nestedArrays.js';
export { DEFAULT_CHUNK_CHARS, type ChunkOptions } from './textChunks.js';
