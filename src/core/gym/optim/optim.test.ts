/**
 * optimize.step test vectors and properties (docs/laws.md G-OPTIM).
 *
 * Trajectories: the problem of torch-reference.py, mirrored here. EXPECTED holds our final
 * parameter bytes (f32 little-endian hex); TORCH_REFERENCE / TORCH_LONG hold what
 * torch-reference.py printed (PyTorch 1.13.0a0 CPU, float32; Lion as the paper's reference
 * code in torch ops), parameters and every state tensor. Tolerance against torch: 0 ulp —
 * every byte agrees.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsxError } from '../../errors.ts';
import { OPTIMIZER_PARAMS, OPTIMIZER_STATE } from '../../fold/fold.ts';
import { cloneTensors, type TensorSet } from '../tensor.ts';
import { fma32, powInt } from './f32.ts';
import {
  cloneOptimizerState, createOptimizer, OPTIMIZER_DEFAULTS, resolveOptimizerSpec, stateNames,
  type OptimizerSpec, type OptimizerState,
} from './optimizer.ts';

const f = Math.fround;
const STEPS = 12;
const INIT = { b: [0.5, -0.25, 1.0, 0.125], w: [0.75, -1.5, 0.3, -0.1, 2.0, -0.625] };
const C = { b: [1.0, 0.5, -0.5, 0.0], w: [0.0, 1.0, -1.0, 0.5, -0.5, 0.25] };
const K = { b: [1.0, 2.0, 0.5, 0.0], w: [1.5, 0.25, 3.0, 1.0, 0.75, 2.0] };
const N = [
  { b: [0.01, -0.02, 0.03, 0.0], w: [-0.05, 0.0, 0.04, 0.02, -0.01, 0.0] },
  { b: [-0.03, 0.01, 0.0, 0.0], w: [0.02, -0.04, 0.0, -0.02, 0.05, 0.01] },
  { b: [0.0, 0.04, -0.01, 0.0], w: [0.01, 0.03, -0.02, 0.0, 0.0, -0.03] },
];
const SHAPES = { b: [4], w: [2, 3] };

function hex(a: Float32Array): string {
  return [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)].map((x) => x.toString(16).padStart(2, '0')).join('');
}
function fromHex(h: string): Float32Array {
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return new Float32Array(b.buffer);
}
/** Distance in f32 units in the last place (the f32 values as ordered integers). */
function ulps(a: number, b: number): number {
  const key = (x: number) => { const i = new Int32Array(new Float32Array([x]).buffer)[0]!; return i < 0 ? -2147483648 - i : i; };
  return Math.abs(key(a) - key(b));
}

/** Case keys as torch-reference.py prints them: `type k=v …`, betas as `(a,b)`, booleans `True`. */
function specOf(key: string): OptimizerSpec {
  const [type, ...kv] = key.split(' ');
  const spec: Record<string, unknown> = { type };
  for (const s of kv) {
    const [k, v] = s.split('=') as [string, string];
    spec[k] = v === 'True' ? true : v === 'False' ? false : v.startsWith('(') ? v.slice(1, -1).split(',').map(Number) : Number(v);
  }
  return spec as unknown as OptimizerSpec;
}

/** g = (p − C)·K + N[t mod 3], each operation rounded to f32 (torch on f32 tensors). */
function smallGrads(params: TensorSet, t: number): TensorSet {
  const out: TensorSet = new Map();
  for (const n of ['b', 'w'] as const) {
    const p = params.get(n)!.data;
    out.set(n, { shape: SHAPES[n], data: Float32Array.from(p, (x, i) => f(f(f(x - f(C[n][i]!)) * f(K[n][i]!)) + f(N[t % 3]![n][i]!))) });
  }
  return out;
}
function smallParams(): TensorSet {
  return new Map((['w', 'b'] as const).map((n) => [n, { shape: SHAPES[n], data: new Float32Array(INIT[n]) }]));
}
function runSmall(spec: OptimizerSpec, steps = STEPS, params = smallParams(), state?: OptimizerState, from = 1) {
  const opt = createOptimizer(spec, state);
  for (let t = from; t < from + steps; t++) opt.step(params, smallGrads(params, t));
  return { params, opt };
}

const LONG_N = 37;
const LONG_STEPS = 300;
function runLong(spec: OptimizerSpec): Float32Array {
  const idx = [...Array(LONG_N).keys()];
  const c = idx.map((i) => f((((i * 31) % 17) - 8) / 8));
  const k = idx.map((i) => f((1 + (i % 5)) / 4));
  const params: TensorSet = new Map([['p', { shape: [LONG_N], data: Float32Array.from(idx, (i) => (((i * 7919) % 2001) - 1000) / 1000) }]]);
  const opt = createOptimizer(spec);
  for (let t = 1; t <= LONG_STEPS; t++) {
    const p = params.get('p')!.data;
    const g = Float32Array.from(idx, (i) => f(f(f(p[i]! - c[i]!) * k[i]!) + f((((i * 13 + t * 29) % 41) - 20) / 1000)));
    opt.step(params, new Map([['p', { shape: [LONG_N], data: g }]]));
  }
  return params.get('p')!.data;
}
// Our final parameter bytes after the trajectories (f32 little-endian hex).
const EXPECTED: Record<string, { b: string; w: string }> = {
  'adamw lr=0.01': { b: '0e281e3f18b605befa13613f64b1ff3d', w: '3352213fb37bb0bff676383e50149a3c6561f03f414701bf' },
  'adamw lr=0.01 weight_decay=0.0': { b: '1c531e3ff6f205be035e613f0000003e', w: '6988213f65b4b0bfaec3383e0ea4993cb1adf03fca7301bf' },
  'adamw lr=0.05 betas=(0.8,0.99) weight_decay=0.1 amsgrad=True': { b: '7bd3763fa838963eb4edc23e300ef13d', w: '39c53b3e2c2258bf070a8dbe7970d33e9a3aa83f91cb4ebd' },
  'rmsprop lr=0.01': { b: 'b863673fe3be5d3efdf0f33e0000003e', w: '7522933edef476bf68425bbe0678aa3e5903bb3f0f3610be' },
  'rmsprop lr=0.01 centered=True': { b: 'f0a5683f687d663e919ced3e0000003e', w: '73d58e3e1a8673bfc14e67befdd1ad3e4048b93faa4706be' },
  'rmsprop lr=0.01 momentum=0.9': { b: '5e928a3f74985f3f017a8cbf0000003e', w: 'c18fc0bef5d37a3fb586cfbf8b33353f605dfebe03743f3f' },
  'rmsprop lr=0.01 weight_decay=0.1': { b: '3e285d3fb2c4593ef991f53ea8f8b12f', w: 'afff923ea89677bf8cb259be5c1ba43e4413bb3fe09c11be' },
  'rmsprop lr=0.005 alpha=0.9 eps=1e-06 weight_decay=0.05 momentum=0.5 centered=True': { b: '77a5373ff95a9cbcd2a8423f8c9804ba', w: '3527053feb42a1bf212b7d3df996fe3d3111e13fd64fc8be' },
  'lion lr=0.001': { b: '6c12033f44b673be94ed7c3f0000003e', w: '94ed3c3fc476bebfc274933e5539b4bdc476fe3f94ed1cbf' },
  'lion lr=0.01 betas=(0.95,0.98) weight_decay=0.1': { b: '27061d3f09bd02beb0645e3fe4f1fc3d', w: '38281f3fd16eaebfd653353e483aa83c49abed3ff213ffbe' },
};
const EXPECTED_LONG: Record<string, string> = {
  'adamw lr=0.01 amsgrad=True': 'e9ba7ebff70b3f3f59e6bf3e68c75e3981f7bebeba7e3bbfedac7f3f8740203f3eae7e3ec99800be5c5cffbe892a5fbfcc3b5f3ffa93ff3e35fffd3d9a3f79befc951fbf56bf7fbf8d8b3c3ff125bf3e8f7dbc390444bfbea7f73fbfcf22553f04d31f3f8ea47f3ed0b6febd4125fcbeabad55bfbccf5f3f67c1ff3e04c5003ef21d80be64891fbfd4547ebf06463f3faef7bf3e',
  'rmsprop lr=0.001 weight_decay=0.01 momentum=0.9 centered=True': 'c9fd74bfe8733b3f7f1cbf3e685f3b3ae6c1bebef56f38bfbd807a3ff8da1e3f17177d3eca4900be0e04f5bee38c5bbf44e65c3f7381fd3e3152fa3d6df56ebef8d11cbf29f97cbf66263e3f805cbe3ef330193b4afabbbe1b753dbf217a7d3f27721e3fd9c4773e846ef9bd23fafcbe2dbe5dbf8ef15d3fd856f63e1a83f63d27907fbed7421ebf08e67dbff5c4373f0a38bc3e',
  'lion lr=0.001 weight_decay=0.1': '517e7fbf3735413f0ec9023f4f56db3e921ab13ebfde863e6ea4453f8d86303f495d7f3e894388bd569918bee5106dbeb1e28d3ee24d473eaeace53d0f4080be66d924bf4af739bfd9085fbe43c099be0dfcc3bed037eebe987c3ebfb45721bf7d54233f99360e3f6d31f23ea6f5c73ed5b99d3ef911513fb245003f2c31783d2d5cb3bc5cc6d5bdbb5a3fbeb0bda43e0d04753e',
};

// Printed by torch-reference.py (PyTorch 1.13.0a0, CPU, float32): parameters and state after STEPS steps.
const TORCH_REFERENCE: Record<string, Record<string, string>> = {
  'adamw lr=0.01': {
    'b': '0e281e3f18b605befa13613f64b1ff3d',
    'b.m': 'b941a1bec63f79bfa9f8043f00000000',
    'b.v': '0245213b4aa2ba3ca4f3cf3b00000000',
    'w': '3352213fb37bb0bff676383e50149a3c6561f03f414701bf',
    'w.m': '91693a3f021ce0be87352a406e5bc3be3289a83f76fd94bf',
    'w.v': 'ae77523c2cfd933b0e2c2b3e4ac1693b58b3263d88b0043d',
  },
  'adamw lr=0.01 weight_decay=0.0': {
    'b': '1c531e3ff6f205be035e613f0000003e',
    'b.m': '0520a1be344d79bfdb07053f00000000',
    'b.v': 'f812213b46b2ba3cfd19d03b00000000',
    'w': '6988213f65b4b0bfaec3383e0ea4993cb1adf03fca7301bf',
    'w.m': '3f8b3a3f1e33e0bec23b2a40685fc3be70a0a83f001095bf',
    'w.v': 'c7b2523cb315943b30362b3e05c9693b79d8263da8ca043d',
  },
  'adamw lr=0.05 betas=(0.8,0.99) weight_decay=0.1 amsgrad=True': {
    'b': '7bd3763fa838963eb4edc23e300ef13d',
    'b.m': '429a23be2f0031bf8257033f00000000',
    'b.v': '0276283c1270e83d934b2f3d00000000',
    'b.v_max': 'b0342a3c1270e83d934b2f3d00000000',
    'w': '39c53b3e2c2258bf070a8dbe7970d33e9a3aa83f91cb4ebd',
    'w.m': 'df83fa3e3524f6be24ab2340345f61be9ea8b73f048f67bf',
    'w.v': 'e6917e3d0d410e3db6b38c3f3922813c5b489e3e73be313e',
    'w.v_max': 'e6917e3d0d410e3db6b38c3fc1a9813c5b489e3e73be313e',
  },
  'rmsprop lr=0.01': {
    'b': 'b863673fe3be5d3efdf0f33e0000003e',
    'b.square_avg': '449f0a3ce0c7d33df5872b3d00000000',
    'w': '7522933edef476bf68425bbe0678aa3e5903bb3f0f3610be',
    'w.square_avg': 'da11723dd1370e3da709853faf41653c65d79f3e82e3273e',
  },
  'rmsprop lr=0.01 centered=True': {
    'b': 'f0a5683f687d663e919ced3e0000003e',
    'b.grad_avg': '7205e1bcbc95d3bd7aaa8b3d00000000',
    'b.square_avg': 'a2c3083cf812d13df1422a3d00000000',
    'w': '73d58e3e1a8673bfc14e67befdd1ad3e4048b93faa4706be',
    'w.grad_avg': '33709f3d878e7fbda74bad3eff6816bd08dc3f3ee81b07be',
    'w.square_avg': '430f6f3d59960d3d6cea833ffa2c623c871f9f3e5af3253e',
  },
  'rmsprop lr=0.01 momentum=0.9': {
    'b': '5e928a3f74985f3f017a8cbf0000003e',
    'b.momentum_buffer': 'a9a317411473c040b0621b4100000000',
    'b.square_avg': 'dd7d2d3c1c54b23d0a3ca13c00000000',
    'w': 'c18fc0bef5d37a3fb586cfbf8b33353f605dfebe03743f3f',
    'w.momentum_buffer': '0c00bfc0aa1897c19085c3406e1f0a41fec297413e784440',
    'w.square_avg': '5a1b4c3de1e5983c5cf8033fc3c0743cd1492a3eca9aea3d',
  },
  'rmsprop lr=0.01 weight_decay=0.1': {
    'b': '3e285d3fb2c4593ef991f53ea8f8b12f',
    'b.square_avg': '9f9bb63b58e4d43de710563d62b6c335',
    'w': 'afff923ea89677bf8cb259be5c1ba43e4413bb3fe09c11be',
    'w.square_avg': 'c9ba893dcf8b523db752853f5af45a3cdf2ec23e8d2f323e',
  },
  'rmsprop lr=0.005 alpha=0.9 eps=1e-06 weight_decay=0.05 momentum=0.5 centered=True': {
    'b': '77a5373ff95a9cbcd2a8423f8c9804ba',
    'b.grad_avg': 'db9e7fbe68d662bf63d3063f45ab943a',
    'b.momentum_buffer': '36b74ac0723671c0b77d83406b30543e',
    'b.square_avg': 'b5fab83d51a08d3f636ec63e76c78c36',
    'w': '3527053feb42a1bf212b7d3df996fe3d3111e13fd64fc8be',
    'w.grad_avg': '97b62e3f242af3bef17321405f2cacbe058bac3fd35d8bbf',
    'w.momentum_buffer': 'cba56a406ed383c0eb21814082c55cc0e2d78440744a76c0',
    'w.square_avg': 'f96a283ff76ca13e615b0e41cb1e253eb3412240de1ad53f',
  },
  'lion lr=0.001': {
    'b': '6c12033f44b673be94ed7c3f0000003e',
    'b.m': 'd31b69bdb60d2cbe076faf3d00000000',
    'w': '94ed3c3fc476bebfc274933e5539b4bdc476fe3f94ed1cbf',
    'w.m': 'dc19013e54d891bd1948e23e7f458abdb52d5b3ef7114bbe',
  },
  'lion lr=0.01 betas=(0.95,0.98) weight_decay=0.1': {
    'b': '27061d3f09bd02beb0645e3fe4f1fc3d',
    'b.m': 'e14ec7bd9f5497be5cea1f3e00000000',
    'w': '38281f3fd16eaebfd653353e483aa83c49abed3ff213ffbe',
    'w.m': '8418623ed2d406be17944d3ff8f1eebdfc6bca3e583cb4be',
  },
};
// Printed by torch-reference.py: the parameter after LONG_STEPS steps of the 37-element problem.
const TORCH_LONG: Record<string, string> = {
  'adamw lr=0.01 amsgrad=True': 'e9ba7ebff70b3f3f59e6bf3e68c75e3981f7bebeba7e3bbfedac7f3f8740203f3eae7e3ec99800be5c5cffbe892a5fbfcc3b5f3ffa93ff3e35fffd3d9a3f79befc951fbf56bf7fbf8d8b3c3ff125bf3e8f7dbc390444bfbea7f73fbfcf22553f04d31f3f8ea47f3ed0b6febd4125fcbeabad55bfbccf5f3f67c1ff3e04c5003ef21d80be64891fbfd4547ebf06463f3faef7bf3e',
  'rmsprop lr=0.001 weight_decay=0.01 momentum=0.9 centered=True': 'c9fd74bfe8733b3f7f1cbf3e685f3b3ae6c1bebef56f38bfbd807a3ff8da1e3f17177d3eca4900be0e04f5bee38c5bbf44e65c3f7381fd3e3152fa3d6df56ebef8d11cbf29f97cbf66263e3f805cbe3ef330193b4afabbbe1b753dbf217a7d3f27721e3fd9c4773e846ef9bd23fafcbe2dbe5dbf8ef15d3fd856f63e1a83f63d27907fbed7421ebf08e67dbff5c4373f0a38bc3e',
  'lion lr=0.001 weight_decay=0.1': '517e7fbf3735413f0ec9023f4f56db3e921ab13ebfde863e6ea4453f8d86303f495d7f3e894388bd569918bee5106dbeb1e28d3ee24d473eaeace53d0f4080be66d924bf4af739bfd9085fbe43c099be0dfcc3bed037eebe987c3ebfb45721bf7d54233f99360e3f6d31f23ea6f5c73ed5b99d3ef911513fb245003f2c31783d2d5cb3bc5cc6d5bdbb5a3fbeb0bda43e0d04753e',
};

function stateOf(opt: { state: OptimizerState }, name: string, key: string): Float32Array {
  return opt.state.buffers.get(name)![key]!;
}

describe('trajectories (12 steps; b [4], w [2, 3])', () => {
  for (const key of Object.keys(EXPECTED)) {
    it(key, () => {
      const { params, opt } = runSmall(specOf(key));
      expect(opt.state.step).toBe(STEPS);
      expect({ b: hex(params.get('b')!.data), w: hex(params.get('w')!.data) }).toEqual(EXPECTED[key]);
      // Against PyTorch: every parameter and state tensor, in ulps; the law's tolerance is 0.
      const torch = TORCH_REFERENCE[key]!;
      const keys = Object.keys(torch).sort();
      const ours = ['b', 'w'].flatMap((n) => [n, ...stateNames(opt.spec).map((s) => `${n}.${s}`)]).sort();
      expect(ours).toEqual(keys);
      let maxUlp = 0;
      for (const k of keys) {
        const [n, s] = k.split('.') as [string, string | undefined];
        const a = s ? stateOf(opt, n, s) : params.get(n)!.data;
        const t = fromHex(torch[k]!);
        expect(a.length).toBe(t.length);
        a.forEach((x, i) => { maxUlp = Math.max(maxUlp, ulps(x, t[i]!)); });
        expect(hex(a), k).toBe(torch[k]);
      }
      expect(maxUlp).toBe(0);
    });
  }
});

describe('long trajectories (300 steps, 37 elements)', () => {
  for (const key of Object.keys(EXPECTED_LONG)) {
    it(key, () => {
      const p = runLong(specOf(key));
      expect(hex(p)).toBe(EXPECTED_LONG[key]);
      expect(hex(p)).toBe(TORCH_LONG[key]);
    });
  }
});

describe('specs and state names', () => {
  it('defaults are PyTorch’s (Lion: the paper’s)', () => {
    expect(resolveOptimizerSpec({ type: 'adamw' })).toEqual({ type: 'adamw', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-2, amsgrad: false });
    expect(resolveOptimizerSpec({ type: 'lion' })).toEqual({ type: 'lion', lr: 1e-4, betas: [0.9, 0.99], weight_decay: 0 });
    expect(resolveOptimizerSpec({ type: 'rmsprop' })).toEqual({ type: 'rmsprop', lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false });
  });
  it('state and hyper-parameter names are fold.ts’s OPTIMIZER_STATE and OPTIMIZER_PARAMS', () => {
    expect(stateNames(resolveOptimizerSpec({ type: 'adamw', amsgrad: true }))).toEqual(OPTIMIZER_STATE.adamw);
    expect(stateNames(resolveOptimizerSpec({ type: 'adamw' }))).toEqual(['m', 'v']);
    expect(stateNames(resolveOptimizerSpec({ type: 'lion' }))).toEqual(OPTIMIZER_STATE.lion);
    expect(stateNames(resolveOptimizerSpec({ type: 'rmsprop', momentum: 0.9, centered: true }))).toEqual(OPTIMIZER_STATE.rmsprop);
    expect(stateNames(resolveOptimizerSpec({ type: 'rmsprop' }))).toEqual(['square_avg']);
    for (const type of ['adamw', 'lion', 'rmsprop'] as const) {
      const keys = Object.keys(OPTIMIZER_DEFAULTS[type]).filter((k) => !['type', 'lr'].includes(k)).sort();
      expect(keys).toEqual([...OPTIMIZER_PARAMS[type]].sort());
    }
  });
  it('rejects bad specs with bad_input', () => {
    const bad: OptimizerSpec[] = [
      { type: 'sgd' as 'adamw' }, { type: 'adamw', lr: -1 }, { type: 'adamw', lr: NaN }, { type: 'adamw', betas: [0.9, 1] },
      { type: 'lion', eps: 1e-8 }, { type: 'adamw', alpha: 0.9 }, { type: 'rmsprop', alpha: 1 }, { type: 'rmsprop', momentum: -0.1 },
      { type: 'rmsprop', centered: 1 as unknown as boolean }, { type: 'lion', weight_decay: Infinity },
    ];
    for (const s of bad) expect(() => createOptimizer(s), JSON.stringify(s)).toThrowError(expect.objectContaining({ code: 'bad_input' }) as Error);
  });
});

describe('errors: checked before anything changes', () => {
  const specs: OptimizerSpec[] = [{ type: 'adamw', amsgrad: true }, { type: 'lion', weight_decay: 0.1 }, { type: 'rmsprop', momentum: 0.9, centered: true }];
  for (const spec of specs) {
    it(`${spec.type}: NaN / ±Inf in a gradient → bad_input naming the parameter and element`, () => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const { params, opt } = runSmall(spec, 3);
        const before = cloneTensors(params);
        const stateBefore = cloneOptimizerState(opt.state);
        const grads = smallGrads(params, 4);
        grads.get('w')!.data[4] = bad; // 'b' comes first and is valid: it must not move either
        let err: unknown;
        try { opt.step(params, grads); } catch (e) { err = e; }
        expect(err).toBeInstanceOf(AsxError);
        expect((err as AsxError).code).toBe('bad_input');
        expect((err as AsxError).where.path).toBe('w');
        expect((err as AsxError).message).toMatch(/"w" is (NaN|\+Inf|-Inf) at element 4/);
        expect(opt.state.step).toBe(3);
        for (const n of ['b', 'w']) {
          expect(hex(params.get(n)!.data)).toBe(hex(before.get(n)!.data));
          for (const s of stateNames(opt.spec)) expect(hex(stateOf(opt, n, s))).toBe(hex(stateOf({ state: stateBefore }, n, s)));
        }
      }
    });
  }
  it('missing or extra gradients, wrong shapes, inconsistent state → bad_input', () => {
    const opt = createOptimizer({ type: 'adamw' });
    const params = smallParams();
    const g = smallGrads(params, 1);
    const cases: Array<[TensorSet, TensorSet]> = [
      [params, new Map([['b', g.get('b')!]])],
      [params, new Map([...g, ['x', g.get('b')!]])],
      [params, new Map([['b', g.get('b')!], ['w', { shape: [3, 2], data: g.get('w')!.data }]])],
    ];
    for (const [p, gr] of cases) expect(() => opt.step(p, gr)).toThrowError(expect.objectContaining({ code: 'bad_input' }) as Error);
    expect(opt.state.step).toBe(0);
    expect(opt.state.buffers.size).toBe(0);
    const resumed = createOptimizer({ type: 'adamw' }, { step: 2, buffers: new Map() });
    expect(() => resumed.step(params, g)).toThrowError(/no buffers for "b"/);
    const wrong = createOptimizer({ type: 'adamw' }, { step: 1, buffers: new Map([['b', { m: new Float32Array(4), v: new Float32Array(3) }], ['w', { m: new Float32Array(6), v: new Float32Array(6) }]]) });
    expect(() => wrong.step(params, g)).toThrowError(/v for "b" has 3 values/);
    const amsMissing = createOptimizer({ type: 'adamw', amsgrad: true }, { step: 1, buffers: new Map<string, Record<string, Float32Array>>([['b', { m: new Float32Array(4), v: new Float32Array(4) }], ['w', { m: new Float32Array(6), v: new Float32Array(6), v_max: new Float32Array(6) }]]) });
    expect(() => amsMissing.step(params, g)).toThrowError(/lacks v_max/);
  });
});

// ---- properties ----

// Gradients below 2^-20 in magnitude are flushed to 0 here: centered RMSprop's s − a·a can round
// below 0 for tiny or constant gradients (√ of a negative → NaN, exactly as in PyTorch; see the
// test 'centered RMSprop: a negative rounded variance gives NaN, as PyTorch').
const f32Arb = fc.float({ noNaN: true, noDefaultInfinity: true, min: -8, max: 8 }).map((x) => (Math.abs(x) < 2 ** -20 ? 0 : x));
const specArb: fc.Arbitrary<OptimizerSpec> = fc.oneof(
  fc.record({ type: fc.constant('adamw' as const), lr: fc.double({ min: 0, max: 0.1, noNaN: true }), betas: fc.tuple(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.9999, noNaN: true })), eps: fc.constantFrom(1e-8, 1e-6), weight_decay: fc.constantFrom(0, 0.01, 0.1), amsgrad: fc.boolean() }),
  fc.record({ type: fc.constant('lion' as const), lr: fc.double({ min: 0, max: 0.1, noNaN: true }), betas: fc.tuple(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true })), weight_decay: fc.constantFrom(0, 0.01, 0.1) }),
  fc.record({ type: fc.constant('rmsprop' as const), lr: fc.double({ min: 0, max: 0.1, noNaN: true }), alpha: fc.double({ min: 0.5, max: 0.999, noNaN: true }), eps: fc.constantFrom(1e-8, 1e-6), weight_decay: fc.constantFrom(0, 0.01), momentum: fc.constantFrom(0, 0.5, 0.9), centered: fc.boolean() }),
);
/** A problem: params {a: [n], b: [m]} and a gradient table per step (independent of the params). */
const problemArb = fc.record({
  a: fc.array(f32Arb, { minLength: 1, maxLength: 5 }),
  b: fc.array(f32Arb, { minLength: 1, maxLength: 5 }),
  seed: fc.array(f32Arb, { minLength: 10, maxLength: 10 }),
});
type Problem = { a: number[]; b: number[]; seed: number[] };
function problemParams(p: Problem): TensorSet {
  return new Map([['a', { shape: [p.a.length], data: new Float32Array(p.a) }], ['b', { shape: [p.b.length], data: new Float32Array(p.b) }]]);
}
function problemGrads(p: Problem, params: TensorSet, t: number): TensorSet {
  const out: TensorSet = new Map();
  for (const n of ['a', 'b']) {
    const d = params.get(n)!.data;
    out.set(n, { shape: [d.length], data: Float32Array.from(d, (x, i) => f(f(x * 0.5) + p.seed[(i + t) % 10]!)) });
  }
  return out;
}

describe('properties', () => {
  it('lr = 0 leaves the parameters unchanged (numerically; every optimizer, any decay)', () => {
    fc.assert(fc.property(specArb, problemArb, (spec, prob) => {
      const params = problemParams(prob);
      const opt = createOptimizer({ ...spec, lr: 0 });
      for (let t = 1; t <= 4; t++) opt.step(params, problemGrads(prob, params, t));
      for (const n of ['a', 'b']) expect([...params.get(n)!.data]).toEqual(n === 'a' ? [...new Float32Array(prob.a)].map((x) => x + 0) : [...new Float32Array(prob.b)].map((x) => x + 0));
    }), { numRuns: 200 });
  });
  it('Lion, wd = 0: each element moves by exactly lr or not at all (lr = 2^-k, params on a 2^-12 grid)', () => {
    fc.assert(fc.property(fc.integer({ min: 4, max: 11 }), fc.array(fc.integer({ min: -4096, max: 4096 }), { minLength: 1, maxLength: 8 }), fc.array(f32Arb, { minLength: 10, maxLength: 10 }), (k, grid, seed) => {
      const lr = 2 ** -k;
      const prob = { a: grid.map((x) => x / 4096), b: [0.5], seed };
      const params = problemParams(prob);
      const opt = createOptimizer({ type: 'lion', lr, betas: [0.9, 0.99] });
      for (let t = 1; t <= 6; t++) {
        const before = new Float32Array(params.get('a')!.data);
        const g = problemGrads(prob, params, t);
        opt.step(params, g);
        params.get('a')!.data.forEach((x, i) => { expect([0, lr]).toContain(Math.abs(x - before[i]!)); });
      }
    }), { numRuns: 200 });
  });
  it('Lion: a zero gradient on a zero momentum does not move (sign(0) = 0)', () => {
    const params: TensorSet = new Map([['p', { shape: [3], data: new Float32Array([1, -2, 0.5]) }]]);
    const opt = createOptimizer({ type: 'lion', lr: 0.1 });
    opt.step(params, new Map([['p', { shape: [3], data: new Float32Array([0, -0, 0]) }]]));
    expect([...params.get('p')!.data]).toEqual([1, -2, 0.5]);
  });
  it('centered RMSprop: a negative rounded variance gives NaN, as PyTorch', () => {
    // torch.optim.RMSprop([p], lr=0, alpha=0, centered=True), p = [0], g = [5.836111807297711e-19]:
    // p = [nan], square_avg = [3.4060e-37], grad_avg = [5.8361e-19] (PyTorch 1.13).
    const params: TensorSet = new Map([['p', { shape: [1], data: new Float32Array([0]) }]]);
    const opt = createOptimizer({ type: 'rmsprop', lr: 0, alpha: 0, centered: true });
    opt.step(params, new Map([['p', { shape: [1], data: new Float32Array([5.836111807297711e-19]) }]]));
    expect(params.get('p')!.data[0]).toBeNaN();
    expect(stateOf(opt, 'p', 'grad_avg')[0]).toBe(f(5.836111807297711e-19));
  });
  it('resume: 5 steps, clone the state, 5 more from the clone = 10 straight, byte for byte', () => {
    fc.assert(fc.property(specArb, problemArb, (spec, prob) => {
      const straight = problemParams(prob);
      const o1 = createOptimizer(spec);
      for (let t = 1; t <= 10; t++) o1.step(straight, problemGrads(prob, straight, t));
      const half = problemParams(prob);
      const o2 = createOptimizer(spec);
      for (let t = 1; t <= 5; t++) o2.step(half, problemGrads(prob, half, t));
      const resumedParams = cloneTensors(half);
      const o3 = createOptimizer(spec, cloneOptimizerState(o2.state));
      for (let t = 6; t <= 10; t++) o3.step(resumedParams, problemGrads(prob, resumedParams, t));
      expect(o3.state.step).toBe(10);
      for (const n of ['a', 'b']) {
        expect(hex(resumedParams.get(n)!.data)).toBe(hex(straight.get(n)!.data));
        for (const s of stateNames(o1.spec)) expect(hex(stateOf(o3, n, s))).toBe(hex(stateOf(o1, n, s)));
      }
    }), { numRuns: 200 });
  });
});

/** a·b + c for f32 values, rounded once to f32, with BigInt arithmetic (the oracle for fma32). */
function exactFma32(a: number, b: number, c: number): number {
  const parts = (x: number): [bigint, number] => {
    const bits = new Uint32Array(new Float32Array([x]).buffer)[0]!;
    const e = (bits >>> 23) & 0xff;
    const frac = bits & 0x7fffff;
    const m = BigInt(e === 0 ? frac : frac | 0x800000);
    return [bits >>> 31 ? -m : m, e === 0 ? -149 : e - 150];
  };
  const [ma, ea] = parts(a);
  const [mb, eb] = parts(b);
  const [mc, ec] = parts(c);
  const n = ma * mb * (1n << BigInt(ea + eb + 298)) + mc * (1n << BigInt(ec + 298)); // value = n · 2^-298
  if (n === 0n) return a * b + c;
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const lead = abs.toString(2).length - 1 - 298;
  const q = Math.max(lead - 23, -149);
  const shift = q + 298;
  let kept = abs >> BigInt(shift);
  const rem = abs - (kept << BigInt(shift));
  const half = shift > 0 ? 1n << BigInt(shift - 1) : 0n;
  if (shift > 0 && (rem > half || (rem === half && (kept & 1n) === 1n))) kept += 1n;
  const r = Math.fround(Number(kept) * 2 ** q);
  return neg ? -r : r;
}

describe('fma32 and powInt', () => {
  it('fma32 is one rounding of the exact a·b + c (a double-rounding trap)', () => {
    const a = 1 + 2 ** -23;
    const b = 2 ** -24 - 2 ** -47;
    const c = 1 + 2 ** -23;
    expect(f(a * b + c)).toBe(1 + 2 ** -22); // f64 then f32: two roundings, wrong
    expect(fma32(a, b, c)).toBe(1 + 2 ** -23);
    expect(exactFma32(a, b, c)).toBe(1 + 2 ** -23);
  });
  it('fma32 = the BigInt oracle (random f32 triples, and near-ties)', () => {
    const any = fc.float({ noNaN: true, noDefaultInfinity: true, min: f(-1e18), max: f(1e18) });
    fc.assert(fc.property(any, any, any, (a, b, c) => { expect(fma32(a, b, c)).toBe(exactFma32(a, b, c)); }), { numRuns: 2000 });
    const mant = fc.integer({ min: 0, max: 0x7fffff });
    fc.assert(fc.property(mant, mant, mant, fc.integer({ min: 20, max: 60 }), fc.boolean(), (i, j, l, k, neg) => {
      const a = f((0x800000 + i) * 2 ** -23);
      const b = f((neg ? -1 : 1) * (0x800000 + j) * 2 ** -(23 + k));
      const c = f((0x800000 + l) * 2 ** -23);
      expect(fma32(a, b, c)).toBe(exactFma32(a, b, c));
    }), { numRuns: 5000 });
  });
  it('powInt is exact on powers of two and agrees with repeated products for small n', () => {
    for (let n = 0; n <= 60; n++) expect(powInt(0.5, n)).toBe(2 ** -n);
    expect(powInt(0.9, 3)).toBe(0.9 * 0.9 * 0.9);
    expect(powInt(0.999, 1)).toBe(0.999);
  });
});
