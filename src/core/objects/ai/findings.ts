/**
 * Legality results of the AI object family (§16; docs/laws.md AI-FINDINGS). A check never
 * throws for a bad object: it returns findings, each with a stable code, a sentence, and
 * where it is (a JSON path, a line/column of a text payload, or a tensor name).
 */
export interface Finding {
  /** Stable, dotted: `<family>.<rule>` (`vocab.duplicate_token`). */
  code: string;
  message: string;
  /** JSON path into the descriptor (`$.layer_map`) or the JSON payload (`payload$.tokens[3]`). */
  path?: string;
  line?: number;
  column?: number;
  tensor?: string;
}

export interface LegalityResult {
  ok: boolean;
  findings: Finding[];
}

/** Most findings one check reports (the rest are counted in the last one). */
export const MAX_FINDINGS = 100;

export class FindingList {
  readonly items: Finding[] = [];
  private dropped = 0;
  add(f: Finding): void {
    if (this.items.length < MAX_FINDINGS) this.items.push(f);
    else this.dropped++;
  }
  get size(): number { return this.items.length + this.dropped; }
  result(): LegalityResult {
    const findings = [...this.items];
    if (this.dropped) findings.push({ code: 'legality.truncated', message: `${this.dropped} more findings not listed` });
    return { ok: this.size === 0, findings };
  }
}

export function ok(): LegalityResult { return { ok: true, findings: [] }; }

/** `findings[0]` as one line, for error messages. */
export function describeFinding(f: Finding): string {
  const at = [f.path, f.tensor !== undefined ? `tensor ${JSON.stringify(f.tensor)}` : undefined, f.line !== undefined ? `line ${f.line}${f.column !== undefined ? `, column ${f.column}` : ''}` : undefined].filter(Boolean).join(', ');
  return `${f.code}: ${f.message}${at ? ` (at ${at})` : ''}`;
}
