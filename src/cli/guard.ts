/** The CLI's one error convention: `asx: <code>: <what, where>` on stderr, exit 1 (2 for usage), never a stack trace. */
import { AsxError } from '../core/errors.ts';

export async function runGuarded(err: (s: string) => void, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AsxError) {
      err(`asx: ${e.describe()}\n`);
      return e.code === 'usage' ? 2 : 1;
    }
    // An unexpected failure still gets one line.
    err(`asx: internal: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
}
