/**
 * `asx gym evolve` (issue 11, evolve.mx2lm; docs/laws.md MX2LM-EVOLVE): the Brown set's
 * symbolic brains evolved through an append-only count delta of new text. The base counts come
 * from the object folder's train split and tokenizer; `--parent` replays an earlier evolve fold
 * (its chain is checked hash by hash) before the new delta is appended. Writes the evolve fold,
 * and with --arpa / --svg the evolved n-gram and SVG brains; prints the n-gram brain's
 * validation perplexity before and after.
 */
import { AsxError } from '../core/errors.ts';
import { decodeText, parseText } from '../core/mx2lm/corpus.ts';
import { sentencesOfLines } from '../core/mx2lm/encode.ts';
import { baseState, evolveFold, evolveState, replayEvolveFold, stateNgramBrain, stateSvgGraph, deltaSize } from '../core/mx2lm/evolve.ts';
import { perplexity } from '../core/mx2lm/ngram-brain.ts';
import { writeArpa } from '../core/ngram/arpa.ts';
import { optString, requireOut, type Parsed } from './args.ts';
import { GYM_OBJECT_IDS, objectPayload } from './gym-commands.ts';
import type { Io } from './main.ts';

export async function evolve(p: Parsed, io: Io): Promise<number> {
  const out = requireOut(p, 'asx gym evolve');
  const dir = optString(p, '--objects');
  if (!dir) throw new AsxError('usage', 'asx gym evolve needs --objects DIR (the Brown set written by asx mx2lm build)');
  const texts = p.positional.length ? p.positional : [];
  const one = optString(p, '--text');
  if (one) texts.unshift(one);
  if (texts.length === 0) throw new AsxError('usage', 'asx gym evolve needs the new text: --text FILE [FILE...]');
  const tj = JSON.parse(new TextDecoder().decode((await objectPayload(dir, GYM_OBJECT_IDS.tokenizer)).bytes)) as { model?: { vocab?: Record<string, number> } };
  const vocab = tj.model?.vocab;
  if (!vocab) throw new AsxError('bad_input', 'the tokenizer has no WordLevel vocab', { path: '$.model.vocab' });
  const tokens: string[] = [];
  for (const [t, id] of Object.entries(vocab)) tokens[id] = t;
  io.err('gym: counting the train split…\n');
  const train = sentencesOfLines(decodeText((await objectPayload(dir, GYM_OBJECT_IDS.train)).bytes));
  const valid = sentencesOfLines(decodeText((await objectPayload(dir, GYM_OBJECT_IDS.validation)).bytes));
  let state = baseState(tokens, train);
  const parent = optString(p, '--parent');
  if (parent) state = replayEvolveFold(state, await io.readFile(parent));
  const before = perplexity(stateNgramBrain(state), valid).perplexity;
  const sentences: string[][] = [];
  for (const t of texts) sentences.push(...parseText(decodeText(await io.readFile(t), t), t));
  if (sentences.length === 0) throw new AsxError('bad_input', 'the new text has no sentences', { file: texts[0] });
  state = evolveState(state, sentences);
  const brain = stateNgramBrain(state);
  const after = perplexity(brain, valid).perplexity;
  const fold = evolveFold({ foldId: optString(p, '--fold-id') ?? 'mx2lm_brown_evolve', baseId: 'object://ai/brain/ngram/mx2lm-brown', state });
  await io.writeFile(out, fold);
  const arpa = optString(p, '--arpa');
  if (arpa) await io.writeFile(arpa, writeArpa(brain));
  const svg = optString(p, '--svg');
  if (svg) await io.writeFile(svg, stateSvgGraph(state).bytes);
  const size = deltaSize(state.deltas[state.deltas.length - 1]);
  io.out(`${JSON.stringify({ out, bytes: fold.length, head: state.head, deltas: state.deltas.length, added: size, validation_perplexity: { before, after } }, null, 2)}\n`);
  return 0;
}
