/** The CLI tests' one way to run a command in this process and capture what it prints. */
import { main, nodeIo, type Io } from './main.ts';

export interface CliRun { code: number; out: string; err: string }

/** Run `fn` with an Io that records stdout and stderr (files are read and written for real). */
export async function captureIo(fn: (io: Io) => Promise<number>): Promise<CliRun> {
  let out = '', err = '';
  const io: Io = { ...nodeIo, out: (s) => { out += s; }, err: (s) => { err += s; } };
  const code = await fn(io);
  return { code, out, err };
}

/** `asx …argv` through main(), as the binary runs it. */
export function asx(...argv: string[]): Promise<CliRun> {
  return captureIo((io) => main(argv, io));
}
