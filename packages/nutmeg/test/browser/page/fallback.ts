// A page bundled without the chain worker file (as esbuild bundles unless told): sample() must fall back to the page's thread, warn once, and finish.
import { HalfNormal, Model, Normal, sample } from 'nutmeg';

const m = new Model();
const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }));
m.rv('y', Normal({ mu, sigma }), { observed: [0.3, -0.2, 1.1, 0.4] });

const api = {
  run: async () => {
    const idata = await sample(m.compile(), { chains: 2, tune: 100, draws: 50, seed: 1, progress: false });
    return { nDraws: idata.nDraws, nChains: idata.nChains, parallel: (idata.attrs.settings as { parallel: boolean }).parallel };
  },
};
(globalThis as unknown as { nutmegFallback: typeof api }).nutmegFallback = api;
document.documentElement.dataset.ready = '1';
