/**
 * Reply projection (§20.11; docs/laws.md MX2LM-INFER "reply"): the generated tokens as an
 * `ai.agent.reply.v1` payload in the form the reply object's descriptor declares. The reply
 * bytes are `JSON.stringify` of (members in this order):
 *
 *   format "text"        {"format", "tokens", "text"}
 *   format "tokens"      {"format", "tokens"}
 *   format "structured"  {"format", "prompt", "prompt_ids", "tokens", "text", "profile"}
 *
 * `tokens` the reply's ids (the stop token not included), `text` the prompt's and the reply's
 * symbols by the declared postprocessing: "none" and "normalize" join them with one space (the
 * vocab is already normalised); "detokenize" too, except that no space goes before a token made
 * only of . , ; : ! ? ) ] } % and none after one of ( [ { $. Every reply payload is legal for
 * the reply object's type (src/core/objects/ai/reply.ts).
 *
 * Pure: no DOM, no Node.
 */

export type ReplyFormat = 'text' | 'tokens' | 'structured';
export type Postprocessing = 'none' | 'normalize' | 'detokenize';

const CLOSE = /^[.,;:!?)\]}%]+$/;
const OPEN = /^[([{$]$/;

export function detokenize(symbols: readonly string[], post: Postprocessing): string {
  let s = '';
  for (let i = 0; i < symbols.length; i++) {
    const t = symbols[i];
    if (i > 0 && !(post === 'detokenize' && (CLOSE.test(t) || OPEN.test(symbols[i - 1])))) s += ' ';
    s += t;
  }
  return s;
}

export interface ReplyForm { id: string; format: ReplyFormat; postprocessing: Postprocessing }

export function replyPayload(form: ReplyForm, prompt: string, promptIds: readonly number[], tokens: readonly number[], symbolOf: (id: number) => string, profile: string): Record<string, unknown> {
  const text = () => detokenize([...promptIds, ...tokens].map(symbolOf), form.postprocessing);
  if (form.format === 'tokens') return { format: 'tokens', tokens: [...tokens] };
  if (form.format === 'text') return { format: 'text', tokens: [...tokens], text: text() };
  return { format: 'structured', prompt, prompt_ids: [...promptIds], tokens: [...tokens], text: text(), profile };
}
