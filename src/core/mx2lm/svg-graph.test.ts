import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadBrownSplit, sentencesOf } from '../../cli/brown.ts';
import { checkSvgBrain } from '../objects/ai/svg-brain.ts';
import { buildVocab } from './vocab-build.ts';
import { buildSvgGraph, nodePosition } from './svg-graph.ts';

describe('the Brown SVG-tensor graph brain (docs/laws.md MX2LM-CORPUS)', () => {
  const train = sentencesOf(loadBrownSplit().train);
  const tokens = buildVocab(train);
  const g = buildSvgGraph(tokens, train);
  const text = new TextDecoder().decode(g.bytes);

  it('512 nodes, 4,040 edges, fixed bytes, a legal canonical ai.brain.svg-tensor payload', () => {
    expect([g.nodes, g.edges, g.bytes.length]).toEqual([512, 4040, 331411]);
    expect(createHash('sha256').update(g.bytes).digest('hex')).toBe('43f5994627cbf8099760c12a2fe7fb831eb08fe0a6a2b6dc5f7ea6272783ad1a');
    expect(checkSvgBrain({ geometry_space: '2d' }, g.bytes).findings).toEqual([]);
  });

  it('path length − distance = 10 · P(w | h), stroke width = (c − 0.75) / c, the top successors of "the"', () => {
    const id = new Map(tokens.map((t, i) => [t, i]));
    const the = id.get('the')!;
    const after = new Map<number, number>();
    let total = 0;
    for (const s of train) for (let i = 0; i < s.length; i++) {
      if (s[i] !== 'the') continue;
      total++;
      const w = i + 1 < s.length ? (id.get(s[i + 1]) ?? 0) : 2;
      after.set(w, (after.get(w) ?? 0) + 1);
    }
    const top = [...after].filter(([w]) => w < 512 && w !== the && w !== 1).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 8);
    for (const [w, c] of top) {
      const m = new RegExp(`<path id="e${the}-${w}" d="M(\\S+) (\\S+) L(\\S+) (\\S+) L(\\S+) (\\S+)" stroke-width="([^"]+)"`).exec(text);
      expect(m, `edge the → ${tokens[w]}`).not.toBeNull();
      const [x1, y1, mx, my, x2, y2, width] = m!.slice(1).map(Number);
      expect([x1, y1, x2, y2]).toEqual([...nodePosition(the), ...nodePosition(w)]);
      const len = Math.hypot(mx - x1, my - y1) + Math.hypot(x2 - mx, y2 - my);
      expect(Math.abs((len - Math.hypot(x2 - x1, y2 - y1)) / 10 - c / total)).toBeLessThan(1e-3);
      expect(width).toBe(Number(((c - 0.75) / c).toFixed(3)));
    }
  });
});
