/**
 * A large ordinary SVG for the long-job tests and the UI benchmark (issue 8, item 7): by
 * default 60,000 small filled paths in 60 coloured groups, about 2.8 MB — the size of the
 * file that froze the SVG tab. Generated (seeded, deterministic), never committed.
 */
export function largeSvg(paths = 60_000, seed = 7): string {
  let s = seed >>> 0;
  const rnd = (): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  const n = (x: number): string => String(Math.round(x * 10) / 10);
  const n2 = (x: number): string => String(Math.round(x * 100) / 100);
  const colours = ['#e53935', '#1e88e5', '#43a047', '#fdd835', '#8e24aa', '#fb8c00'];
  const perGroup = 1000;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="2000" viewBox="0 0 2000 2000">\n'];
  for (let i = 0; i < paths; i++) {
    if (i % perGroup === 0) out.push(`${i ? '</g>\n' : ''}<g fill="${colours[(i / perGroup) % colours.length]}">\n`);
    const x = rnd() * 1990, y = rnd() * 1990;
    out.push(`<path d="M${n2(x)} ${n2(y)}l${n2(rnd() * 9)} ${n2(rnd() * 9)}l-${n(rnd() * 9)} ${n(rnd() * 5)}z"/>\n`);
  }
  out.push('</g>\n</svg>\n');
  return out.join('');
}
