/** Test and demo fixtures for the fold family. */
import type { FoldV1 } from './fold.ts';
/** mx2gym.md "Full Canonical Example", verbatim. */
export const CANONICAL_FOLD: FoldV1 = {
  fold_id: 'dialogue_v3',
  version: '1.0.0',
  model_base: 'Qwen-ASX-7B',
  mx2gym_format: 'fold.v1',
  description: 'Dialogue refinement fold using SCXQ2 deltas + AdamW optimizer + XCFE flow.',
  '@data': {
    deltas: [{ layer: 'model.layers.0.self_attn.q_proj.weight', encoding: 'scxq2', ref: 'scxq2://dialogue_v3/l0_qproj.delta', scale: 0.45 }],
    gradients: [{ layer: 'model.layers.0.self_attn.q_proj.weight', encoding: 'scxq2', ref: 'scxq2://dialogue_v3/grad_l0_qproj.grad' }],
    optimizer: {
      type: 'adamw',
      state: { m: 'scxq2://dialogue_v3/adam_m.state', v: 'scxq2://dialogue_v3/adam_v.state' },
      lr: 1e-5, betas: [0.9, 0.999], weight_decay: 0.01,
    },
  },
  '@control': {
    apply: 'if_loss_improves', priority: 2, mode: 'additive', target_layers: ['attn'], clamp: [-0.15, 0.15],
    conditions: { min_loss_improvement: 0.001, cooldown_steps: 25, max_scale: 1.1 },
  },
  '@flow': { entry: '@Pop', route: ['@Wo', '@Sek'], exit: '@Xul', merge_strategy: 'horizontal', interaction: ['fold_mathfix_v1'], blend_mode: 'smooth' },
  '@metrics': { steps_trained: 12600, loss_curve: [1.92, 1.70, 1.44], gradient_norm: 0.88, delta_norm: 0.0038, timestamp: 1890000023000 },
};
