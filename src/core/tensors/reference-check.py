#!/usr/bin/env python3
"""
Differential check of the safetensors reader and writer against the reference implementation
(huggingface/safetensors, its Rust core through the Python binding). Not part of CI (CI has no
Python package); run by hand, results in docs/laws.md L-SAFETENSORS:

    pip install --target /tmp/st safetensors numpy
    rm -rf /tmp/dump && FUZZ_DUMP=/tmp/dump FUZZ_CASES=20000 \
        npx vitest run --config vitest.fuzz.config.ts src/core/tensors
    PYTHONPATH=/tmp/st python3 src/core/tensors/reference-check.py /tmp/dump

For every fuzz file case: does the reference accept exactly the files we accept? For every
accepted file: does the reference serializer, given the tensors it read, write the bytes our
writer wrote for the same tensors (`<case>.ours`, no metadata)? Prints the disagreements, grouped.
"""
import collections
import ctypes
import json
import os
import sys

import safetensors._safetensors_rust as rust

TO_PY = {
    'BOOL': 'bool', 'U8': 'uint8', 'I8': 'int8', 'F8_E5M2': 'float8_e5m2', 'F8_E4M3': 'float8_e4m3fn',
    'F8_E8M0': 'float8_e8m0fnu', 'F8_E4M3FNUZ': 'float8_e4m3fnuz', 'F8_E5M2FNUZ': 'float8_e5m2fnuz',
    'I16': 'int16', 'U16': 'uint16', 'F16': 'float16', 'BF16': 'bfloat16', 'I32': 'int32', 'U32': 'uint32',
    'F32': 'float32', 'I64': 'int64', 'U64': 'uint64', 'F64': 'float64',
}


def reference_bytes(tensors):
    keep = []
    specs = {}
    for name, t in tensors:
        buf = (ctypes.c_char * max(1, len(t['data']))).from_buffer_copy(bytes(t['data']) or b'\0')
        keep.append(buf)
        specs[name] = rust.TensorSpec(dtype=TO_PY[t['dtype']], shape=t['shape'], data_ptr=ctypes.addressof(buf), data_len=len(t['data']))
    return bytes(rust.serialize(specs, None))


def main(d):
    verdicts = [json.loads(line) for line in open(os.path.join(d, 'verdicts.jsonl'))]
    disagree = collections.Counter()
    examples = {}
    writer_same = writer_diff = 0
    for v in verdicts:
        c = v['case']
        b = open(os.path.join(d, f'{c}.bin'), 'rb').read()
        try:
            tensors = rust.deserialize(b)
            ref_ok, ref_msg = True, ''
        except Exception as e:  # SafetensorError, or a Python error for bad input
            tensors, ref_ok, ref_msg = None, False, f'{type(e).__name__}: {e}'
        if ref_ok != v['ok']:
            key = ('we accept, reference refuses: ' + ref_msg.split(' at line')[0][:90]) if v['ok'] else ('we refuse, reference accepts: ' + v.get('message', '')[:90])
            disagree[key] += 1
            examples.setdefault(key, c)
            continue
        if ref_ok:
            ours = open(os.path.join(d, f'{c}.ours'), 'rb').read()
            if reference_bytes(tensors) == ours:
                writer_same += 1
            else:
                writer_diff += 1
                examples.setdefault('writer differs', c)
    print(f'{len(verdicts)} cases; reader agrees on {len(verdicts) - sum(disagree.values())}; '
          f'writer byte-identical on {writer_same} of {writer_same + writer_diff} accepted files')
    for k, n in disagree.most_common():
        print(f'  {n:6d}  {k}  (e.g. case {examples[k]})')
    if writer_diff:
        print(f'  writer differs on {writer_diff} (e.g. case {examples["writer differs"]})')


if __name__ == '__main__':
    main(sys.argv[1])
