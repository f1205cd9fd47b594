#!/usr/bin/env python3
"""PyTorch reference for the optimizer trajectories of optim.test.ts (docs/laws.md G-OPTIM).

Not run by the test suite. Run with Debian's python3-torch (tested with 1.13.0a0, CPU):

    /usr/bin/python3 src/core/gym/optim/torch-reference.py

Prints, per case, the hex of the little-endian f32 bytes of every parameter and state tensor
after STEPS steps, as a TypeScript table to paste into optim.test.ts (TORCH_REFERENCE).

The problem (mirrored exactly in optim.test.ts): two parameters, b (shape [4]) and w (shape
[2, 3]), initial values INIT; at step t (1-based) the gradient of each element i is, in f32,
    g = (p - C[i]) * K[i] + N[t % 3][i]
(every operation rounded to f32, as torch computes on f32 tensors). b[3] has K = 0 and N = 0,
so its gradient is exactly ±0 (Lion's sign(0) = 0).
AdamW and RMSprop are torch.optim's; Lion is the paper's reference implementation
(google/automl lion_pytorch.py) written with torch f32 tensor ops.
"""
import struct
import torch

torch.set_num_threads(1)
STEPS = 12

INIT = {
    'b': [0.5, -0.25, 1.0, 0.125],
    'w': [[0.75, -1.5, 0.3], [-0.1, 2.0, -0.625]],
}
C = {'b': [1.0, 0.5, -0.5, 0.0], 'w': [[0.0, 1.0, -1.0], [0.5, -0.5, 0.25]]}
K = {'b': [1.0, 2.0, 0.5, 0.0], 'w': [[1.5, 0.25, 3.0], [1.0, 0.75, 2.0]]}
N = [
    {'b': [0.01, -0.02, 0.03, 0.0], 'w': [[-0.05, 0.0, 0.04], [0.02, -0.01, 0.0]]},
    {'b': [-0.03, 0.01, 0.0, 0.0], 'w': [[0.02, -0.04, 0.0], [-0.02, 0.05, 0.01]]},
    {'b': [0.0, 0.04, -0.01, 0.0], 'w': [[0.01, 0.03, -0.02], [0.0, 0.0, -0.03]]},
]

CASES = [
    ('adamw', dict(lr=0.01)),  # torch defaults otherwise: betas (0.9, 0.999), eps 1e-8, wd 0.01
    ('adamw', dict(lr=0.01, weight_decay=0.0)),
    ('adamw', dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True)),
    ('rmsprop', dict(lr=0.01)),  # alpha 0.99, eps 1e-8, wd 0, momentum 0, centered False
    ('rmsprop', dict(lr=0.01, centered=True)),
    ('rmsprop', dict(lr=0.01, momentum=0.9)),
    ('rmsprop', dict(lr=0.01, weight_decay=0.1)),
    ('rmsprop', dict(lr=0.005, alpha=0.9, eps=1e-6, weight_decay=0.05, momentum=0.5, centered=True)),
    ('lion', dict(lr=1e-3)),
    ('lion', dict(lr=0.01, betas=(0.95, 0.98), weight_decay=0.1)),
]


def f32(x):
    return torch.tensor(x, dtype=torch.float32)


def hexf(t):
    return b''.join(struct.pack('<f', v) for v in t.detach().reshape(-1).tolist()).hex()


class Lion(torch.optim.Optimizer):
    """google/automl lion_pytorch.py (the paper's reference implementation)."""

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group['params']:
                if p.grad is None:
                    continue
                p.data.mul_(1 - group['lr'] * group['weight_decay'])
                grad = p.grad
                state = self.state[p]
                if len(state) == 0:
                    state['exp_avg'] = torch.zeros_like(p)
                exp_avg = state['exp_avg']
                beta1, beta2 = group['betas']
                update = exp_avg * beta1 + grad * (1 - beta1)
                p.add_(torch.sign(update), alpha=-group['lr'])
                exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)


def run(kind, hp):
    names = ['b', 'w']
    params = {n: torch.nn.Parameter(f32(INIT[n])) for n in names}
    plist = [params[n] for n in names]
    if kind == 'adamw':
        opt = torch.optim.AdamW(plist, **hp)
    elif kind == 'rmsprop':
        opt = torch.optim.RMSprop(plist, **hp)
    else:
        opt = Lion(plist, **hp)
    for t in range(1, STEPS + 1):
        with torch.no_grad():
            for n in names:
                p = params[n]
                p.grad = (p.detach() - f32(C[n])) * f32(K[n]) + f32(N[t % 3][n])
        opt.step()
    out = {}
    for n in names:
        out[n] = hexf(params[n])
        st = opt.state[params[n]]
        rename = {'exp_avg': 'm', 'exp_avg_sq': 'v', 'max_exp_avg_sq': 'v_max',
                  'square_avg': 'square_avg', 'momentum_buffer': 'momentum_buffer', 'grad_avg': 'grad_avg'}
        if kind == 'lion':
            rename['exp_avg'] = 'm'
        for k, v in sorted(st.items()):
            if k in rename:
                out[n + '.' + rename[k]] = hexf(v)
    return out


LONG_STEPS = 300
LONG_N = 37  # > 2 × 8 f32 lanes: PyTorch's vectorized kernels run on most elements


def long_problem():
    init = [float(((i * 7919) % 2001 - 1000) / 1000) for i in range(LONG_N)]
    c = [float(((i * 31) % 17 - 8) / 8) for i in range(LONG_N)]
    k = [float((1 + i % 5) / 4) for i in range(LONG_N)]
    return init, c, k


def long_noise(t):
    return [float(((i * 13 + t * 29) % 41 - 20) / 1000) for i in range(LONG_N)]


def run_long(kind, hp):
    init, c, k = long_problem()
    p = torch.nn.Parameter(f32(init))
    if kind == 'adamw':
        opt = torch.optim.AdamW([p], **hp)
    elif kind == 'rmsprop':
        opt = torch.optim.RMSprop([p], **hp)
    else:
        opt = Lion([p], **hp)
    for t in range(1, LONG_STEPS + 1):
        with torch.no_grad():
            p.grad = (p.detach() - f32(c)) * f32(k) + f32(long_noise(t))
        opt.step()
    return hexf(p)


LONG_CASES = [
    ('adamw', dict(lr=0.01, amsgrad=True)),
    ('rmsprop', dict(lr=0.001, weight_decay=0.01, momentum=0.9, centered=True)),
    ('lion', dict(lr=0.001, weight_decay=0.1)),
]

print('// generated by src/core/gym/optim/torch-reference.py, torch', torch.__version__)
print('export const TORCH_REFERENCE: Record<string, Record<string, string>> = {')
for kind, hp in CASES:
    key = kind + ' ' + ' '.join(f'{k}={v}'.replace(' ', '') for k, v in hp.items())
    res = run(kind, hp)
    print(f'  {key!r}: {{')
    for k in sorted(res):
        print(f'    {k!r}: {res[k]!r},')
    print('  },')
print('};')
print('export const TORCH_LONG: Record<string, string> = {')
for kind, hp in LONG_CASES:
    key = kind + ' ' + ' '.join(f'{k}={v}'.replace(' ', '') for k, v in hp.items())
    print(f'  {key!r}: {run_long(kind, hp)!r},')
print('};')
