/** A small strict argument parser: positionals, `--flag`, `--opt value`, `--opt=value`. */
import { AsxError } from '../core/errors.ts';

export interface Parsed { positional: string[]; opts: Map<string, string | true> }

export function parseArgs(argv: string[], valued: readonly string[], flags: readonly string[]): Parsed {
  const positional: string[] = [];
  const opts = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2 && a !== '-')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (valued.includes(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new AsxError('usage', `${name} needs a value`);
        opts.set(name, v);
      } else if (flags.includes(name) && eq < 0) opts.set(name, true);
      else throw new AsxError('usage', `unknown option ${name}`);
    } else positional.push(a);
  }
  return { positional, opts };
}

export function optString(p: Parsed, ...names: string[]): string | undefined {
  for (const n of names) { const v = p.opts.get(n); if (typeof v === 'string') return v; }
  return undefined;
}

export function optNumber(p: Parsed, name: string): number | undefined {
  const v = optString(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new AsxError('usage', `${name} needs a number, got ${JSON.stringify(v)}`);
  return n;
}

/** The `-o OUT` a writing command needs. */
export function requireOut(p: Parsed, command: string): string {
  const o = optString(p, '-o', '--out');
  if (!o) throw new AsxError('usage', `${command} needs -o OUT`);
  return o;
}
