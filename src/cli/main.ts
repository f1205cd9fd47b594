/**
 * `asx` — the workbench's headless face over the same core. Every failure is one line
 * `asx: <code>: <what, where>` on stderr and exit code 1; never a stack trace.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { AsxError } from '../core/errors.ts';
import { runGuarded } from './guard.ts';
import { PACK_HELP, KEY_HELP, SVG_HELP, SCXQ2_HELP, GCCP_HELP, SAFETENSORS_HELP, SERVE_HELP, OBJECTS_HELP, MX2LM_HELP, GYM_HELP, INFER_HELP } from './help.ts';

export const HELP = `asx — ASX Workbench command line

usage: asx <group> <command> [options]

${PACK_HELP}
${KEY_HELP}
${SVG_HELP}
${SCXQ2_HELP}
${GCCP_HELP}
${SAFETENSORS_HELP}
${SERVE_HELP}
${OBJECTS_HELP}
${MX2LM_HELP}
${GYM_HELP}
${INFER_HELP}
Global options:
  --stats              print bytes read per input file on stderr
  -h, --help           this help

Exit codes: 0 ok; 1 bad input or a failed check (one line "asx: <code>: ..." on stderr); 2 usage.
`;

export interface Io {
  out(s: string): void;
  err(s: string): void;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
}

export const nodeIo: Io = {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
  readFile: async (p) => {
    try { return new Uint8Array(await readFile(p)); } catch (e) { throw new AsxError('io_error', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: p }); }
  },
  writeFile: async (p, d) => {
    try { await writeFile(p, d); } catch (e) { throw new AsxError('io_error', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: p }); }
  },
};

/**
 * Each command group is imported when it runs, so `asx --help` loads no command module and
 * `asx pack …` none of the SVG, SCXQ2 or π-GCCP code (start-up time, issue 9).
 */
export function main(argv: string[], io: Io = nodeIo): Promise<number> {
  return runGuarded(io.err, async () => {
    const [group, ...rest] = argv;
    if (!group || group === '-h' || group === '--help' || group === 'help') { io.out(HELP); return 0; }
    if (group === 'pack') return await (await import('./pack-commands.ts')).packCommand(rest, io);
    if (group === 'key') return await (await import('./key-commands.ts')).keyCommand(rest, io);
    if (group === 'svg') return await (await import('./svg-commands.ts')).svgCommand(rest, io);
    if (group === 'scxq2') return await (await import('./svg-commands.ts')).scxq2Command(rest, io);
    if (group === 'gccp') return await (await import('./gccp-commands.ts')).gccpCommand(rest, io);
    if (group === 'safetensors') return await (await import('./safetensors-commands.ts')).safetensorsCommand(rest, io);
    if (group === 'serve') return await (await import('./serve-commands.ts')).serveCommand(rest, io);
    if (group === 'objects') return await (await import('./objects-commands.ts')).objectsCommand(rest, io);
    if (group === 'mx2lm') return await (await import('./mx2lm-commands.ts')).mx2lmCommand(rest, io);
    if (group === 'gym') return await (await import('./gym-commands.ts')).gymCommand(rest, io);
    if (group === 'infer') return await (await import('./infer-commands.ts')).inferCommand(rest, io);
    throw new AsxError('usage', `unknown command group ${JSON.stringify(group)} (try asx --help)`);
  });
}
