// The radon run's stages in the order they run: what an interrupted run reports as complete, interrupted and not run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_NAMES, plannedStages } from '../../src/radon/run.js';

test('plannedStages: the county fits come first, as they run, then the joint models, ADVI and the later stages', () => {
  assert.deepEqual(plannedStages({ models: [...MODEL_NAMES], priors: 'tutorial', method: 'nuts' }), [
    'unpooled',
    'pooled',
    'hierarchical',
    'hierarchical_noncentered',
    'advi',
    'loo & predictive',
    'summaries',
    'figures',
    'png',
    'report',
  ]);
  // A Ctrl-C during the pooled model, after the county fits, left 'unpooled' among the stages not
  // run while the same message called it complete: the list had pooled before unpooled.
  const stages = plannedStages({ models: ['pooled', 'unpooled'], priors: 'flat', method: 'nuts' });
  assert.deepEqual(stages.slice(stages.indexOf('pooled') + 1), ['loo & predictive', 'summaries', 'figures', 'png', 'report']);
  assert.deepEqual(plannedStages({ models: ['hierarchical'], priors: 'flat', method: 'advi' }), ['hierarchical_flat', 'loo & predictive', 'summaries', 'figures', 'png', 'report']);
});
