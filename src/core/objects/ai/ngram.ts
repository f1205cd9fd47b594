/**
 * `ai.brain.ngram.v1` legality (§16.5; docs/laws.md AI-NGRAM). The payload is an ARPA
 * back-off model (src/core/ngram/arpa.ts), mime `text/x-arpa`. Checks: it reads (a syntax
 * error is one finding at its line and column); the declared `order` is the file's; no
 * probability above 1 (a log10 above 0; in log space a probability is never negative);
 * every context's distribution sums to 1 within NGRAM_SUM_TOLERANCE (conservation.ts); when
 * `vocab_ref` is given, every 1-gram is a token of that vocab (closed transition space).
 */
import { ArpaError, ngramKey, readArpa, type ArpaRead } from '../../ngram/arpa.ts';
import { conservationIssues, NGRAM_SUM_TOLERANCE } from '../../ngram/conservation.ts';
import { FindingList, type LegalityResult } from './findings.ts';
import type { VocabTable } from './vocab.ts';

export interface NgramContext {
  /** The referenced vocab when the descriptor has `vocab_ref`. */
  vocab?: VocabTable | { missing: 'unresolved' | 'wrong_type' | 'illegal'; detail?: string };
}

export function checkNgram(d: { order?: unknown; vocab_ref?: unknown }, payload: Uint8Array, ctx: NgramContext = {}): LegalityResult & { arpa?: ArpaRead } {
  const out = new FindingList();
  let r: ArpaRead;
  try { r = readArpa(payload); } catch (e) {
    if (e instanceof ArpaError) out.add({ code: `ngram.${e.code}`, message: e.message, line: e.line, column: e.column });
    else out.add({ code: 'ngram.arpa.bad_entry', message: 'the payload is not an ARPA model' });
    return out.result();
  }
  const m = r.model;
  if (typeof d.order === 'number' && d.order !== m.order) out.add({ code: 'ngram.order_mismatch', message: `the descriptor declares order ${d.order}, the model has order ${m.order}`, path: '$.order' });
  for (const iss of conservationIssues(m, NGRAM_SUM_TOLERANCE)) {
    if (iss.kind === 'above_one') {
      out.add({ code: 'ngram.probability_above_one', message: `log10 probability ${iss.logprob} > 0 for ${JSON.stringify(ngramKey(iss.words).slice(0, 80))}`, line: r.lines[iss.order - 1].get(ngramKey(iss.words)) });
    } else {
      const ctxText = iss.words.length ? JSON.stringify(ngramKey(iss.words).slice(0, 80)) : 'the 1-gram distribution';
      const line = iss.words.length ? r.lines[iss.order - 1].get(ngramKey(iss.words)) : undefined;
      out.add({ code: 'ngram.not_normalized', message: `P(· | ${ctxText}) sums to ${iss.sum}, not 1 ± ${NGRAM_SUM_TOLERANCE}`, ...(line !== undefined ? { line } : {}) });
    }
  }
  if (d.vocab_ref !== undefined && ctx.vocab) {
    const v = ctx.vocab;
    if ('missing' in v) out.add({ code: v.missing === 'unresolved' ? 'ngram.vocab_ref_unresolved' : v.missing === 'wrong_type' ? 'ngram.vocab_ref_wrong_type' : 'ngram.vocab_ref_illegal', message: `vocab_ref: ${v.detail ?? v.missing}`, path: '$.vocab_ref' });
    else {
      for (const e of m.grams[0]) {
        if (!v.ids.has(e.words[0])) { out.add({ code: 'ngram.word_outside_vocab', message: `1-gram ${JSON.stringify(e.words[0].slice(0, 64))} is not in the referenced vocab`, line: r.lines[0].get(e.words[0]) }); if (out.size >= 20) break; }
      }
    }
  }
  const res = out.result();
  return { ...res, arpa: r };
}
