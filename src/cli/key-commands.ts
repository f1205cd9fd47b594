/** `asx key gen -o FILE`: a new Ed25519 seed (hex) to FILE, the public key on stdout. */
import { chmod } from 'node:fs/promises';
import { AsxError } from '../core/errors.ts';
import { toHex } from '../core/bytes/hex.ts';
import { generateSeed, publicKeyOf, parseSeed, keyFingerprint } from '../core/pack/sign.ts';
import { parseArgs, optString } from './args.ts';
import type { Io } from './main.ts';
import { KEY_HELP } from './help.ts';

export { KEY_HELP };

export async function keyCommand(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest, ['-o', '--out'], ['-h', '--help']);
  if (!cmd || p.opts.has('-h') || p.opts.has('--help')) { io.out(KEY_HELP); return 0; }
  if (cmd === 'gen') {
    const out = optString(p, '-o', '--out');
    if (!out) throw new AsxError('usage', 'asx key gen needs -o FILE');
    const seed = generateSeed();
    await io.writeFile(out, toHex(seed) + '\n');
    try { await chmod(out, 0o600); } catch { /* best effort on filesystems without modes */ }
    const pub = publicKeyOf(seed);
    io.out(JSON.stringify({ public_key: toHex(pub), fingerprint: keyFingerprint(pub), seed_file: out }) + '\n');
    return 0;
  }
  if (cmd === 'pub') {
    const f = p.positional[0];
    if (!f) throw new AsxError('usage', 'asx key pub needs a seed FILE');
    const pub = publicKeyOf(parseSeed(await io.readFile(f)));
    io.out(JSON.stringify({ public_key: toHex(pub), fingerprint: keyFingerprint(pub) }) + '\n');
    return 0;
  }
  throw new AsxError('usage', `unknown key command ${JSON.stringify(cmd)}`);
}
