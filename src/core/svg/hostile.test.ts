/** Hostile inputs (issue 4): each gets a clear, typed error in bounded time and memory. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseXml } from './xml.ts';
import { checkLegality } from './tensor.ts';
import { canonicalize, importSvg } from './canonical.ts';
import { AsxError } from '../errors.ts';

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof AsxError) return `${e.code}: ${e.message}`; throw e; }
  return 'ok';
}
function timed<T>(fn: () => T, budgetMs = 2000): T {
  const t0 = performance.now();
  const r = fn();
  expect(performance.now() - t0).toBeLessThan(budgetMs);
  return r;
}

const LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path d="M0 0 L1 1" id="&lol9;"/></svg>`;

describe('hostile XML', () => {
  it('billion laughs: entity declarations are refused before anything is expanded', () => {
    expect(timed(() => code(() => parseXml(LAUGHS)))).toMatch(/^xml_entity: DOCTYPE with entity declarations is refused/);
    expect(code(() => importSvg(LAUGHS))).toMatch(/^xml_entity/);
  });
  it('external entities: declared ones are refused, undeclared references are never resolved', () => {
    const xxe = '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg viewBox="0 0 1 1"><path d="&xxe;"/></svg>';
    expect(code(() => parseXml(xxe))).toMatch(/^xml_entity/);
    const ext = '<!DOCTYPE svg SYSTEM "http://evil.example/x.dtd"><svg viewBox="0 0 1 1"><path d="&xxe;"/></svg>';
    expect(code(() => parseXml(ext))).toMatch(/^xml_entity: entity &xxe; is not one of the five predefined entities/);
    const pub = '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg viewBox="0 0 1 1"><line x2="1"/></svg>';
    expect(importSvg(pub).changes.map((c) => c.action)).toContain('drop-doctype');
  });
  it('the five predefined entities and character references decode; nothing else does', () => {
    const d = parseXml('<svg id="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;"/>');
    expect(d.root.attrs[0].value).toBe('<>&"\'AB');
    expect(code(() => parseXml('<svg id="&#0;"/>'))).toMatch(/^xml_entity/);
    expect(code(() => parseXml('<svg id="&#xD800;"/>'))).toMatch(/^xml_entity/);
  });
  it('10,000-deep nesting is refused at depth 257', () => {
    const deep = '<svg>' + '<g>'.repeat(10_000) + '</g>'.repeat(10_000) + '</svg>';
    expect(timed(() => code(() => parseXml(deep)))).toMatch(/^xml_limit: elements nested deeper than 256 levels/);
    expect(code(() => importSvg(deep))).toMatch(/^xml_limit/);
  });
  it('a 1 MB attribute value is refused', () => {
    const big = `<svg viewBox="0 0 1 1"><path d="M0 0${' L1 1'.repeat(210_000)}"/></svg>`;
    expect(big.length).toBeGreaterThan(1_000_000);
    expect(timed(() => code(() => parseXml(big)))).toMatch(/^xml_limit: attribute d is 1050004 characters long, more than the limit of 262144/);
  });
  it('too many elements, too many attributes, oversize documents', () => {
    expect(code(() => parseXml('<svg>' + '<g/>'.repeat(200_001) + '</svg>'))).toMatch(/^xml_limit: more than 200000 elements/);
    expect(code(() => parseXml('<svg ' + Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ') + '/>'))).toMatch(/^xml_limit: more than 256 attributes/);
    expect(code(() => parseXml('<svg/>', { maxChars: 3 }))).toMatch(/^xml_limit/);
  });
  it('malformed XML is xml_syntax with a line and column', () => {
    expect(code(() => parseXml('<svg>\n<g></svg>'))).toMatch(/^xml_syntax: end tag <\/svg> does not match <g> \(line 2, column 4\)/);
    expect(code(() => parseXml('<svg a="1" a="2"/>'))).toMatch(/duplicate attribute/);
    expect(code(() => parseXml('<svg/><svg/>'))).toMatch(/second root/);
    expect(code(() => parseXml('<svg a="<"/>'))).toMatch(/"<" in the value/);
    expect(code(() => parseXml(''))).toMatch(/no root element/);
  });
});

describe('hostile SVG', () => {
  const SCRIPTY = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)">
    <script>alert(2)</script><path d="M0 0 L4 4" onclick="alert(3)"/><foreignObject><div>x</div></foreignObject>
    <animate attributeName="x" dur="1s"/><image href="http://evil.example/x.png"/><style>*{}</style></svg>`;
  it('<script>, event attributes and friends are reported by the check', () => {
    const rules = checkLegality(SCRIPTY).violations.map((v) => `${v.path} ${v.rule}`);
    expect(rules).toEqual(expect.arrayContaining(['/svg event-attribute', '/svg/script[1] forbidden-element', '/svg/path[1] event-attribute',
      '/svg/foreignObject[1] forbidden-element', '/svg/animate[1] forbidden-element', '/svg/image[1] forbidden-element', '/svg/style[1] forbidden-element']));
    expect(code(() => canonicalize(SCRIPTY))).toMatch(/^illegal_tensor: event-attribute/);
  });
  it('metadata may hold anything but forbidden elements and event attributes', () => {
    const svg = '<svg viewBox="0 0 1 1"><metadata><rdf:RDF xmlns:rdf="x"><a onclick="y()"/><script>z</script></rdf:RDF></metadata><line x2="1"/></svg>';
    expect(checkLegality(svg).violations.map((v) => `${v.path} ${v.rule}`)).toEqual(['/svg/metadata[1]/rdf:RDF/script forbidden-element', '/svg/metadata[1]/rdf:RDF/a event-attribute']);
    expect(checkLegality('<svg viewBox="0 0 1 1"><metadata><rdf:RDF xmlns:rdf="x"><cc:Work/></rdf:RDF></metadata><line x2="1"/></svg>').legal).toBe(true);
    expect(importSvg(svg).text).not.toMatch(/script|metadata/);
  });
  it('import removes all of them and says so', () => {
    const r = importSvg(SCRIPTY);
    expect(r.text).toBe('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4" viewBox="0 0 4 4"><path d="M0 0 L4 4"></path></svg>');
    expect(r.text).not.toMatch(/script|on[a-z]+=|alert/);
    expect(r.changes.filter((c) => c.action === 'drop-element').map((c) => c.path)).toEqual(expect.arrayContaining(['/svg/script[1]', '/svg/foreignObject[1]', '/svg/animate[1]', '/svg/image[1]', '/svg/style[1]']));
  });
  it('NaN, Infinity and 1e400 are non-finite everywhere', () => {
    const v = checkLegality('<svg viewBox="0 0 NaN 1"><circle r="Infinity"/><line x2="1e400"/><path d="M0 0 L1e400 1"/><g transform="scale(NaN)"><line x2="1"/></g><polygon points="0 0 1 nan"/></svg>').violations;
    expect(v.map((x) => `${x.path} ${x.rule}`)).toEqual([
      '/svg/circle[1] non-finite', '/svg/line[1] non-finite', '/svg/path[1] non-finite', '/svg/g[1] bad-transform', '/svg/polygon[1] non-finite', '/svg non-finite', '/svg no-size',
    ]);
    expect(code(() => importSvg('<svg viewBox="0 0 1 1"><line x2="1e400"/></svg>'))).toMatch(/^svg_import: nothing numeric is left/);
  });
  it('zero-length and disconnected geometry: check reports, import drops, an empty result is an error', () => {
    expect(checkLegality('<svg viewBox="0 0 1 1"><path d="M1 1 L1 1"/><path d="M0 0"/></svg>').violations.map((v) => v.rule)).toEqual(['zero-length', 'disconnected', 'zero-length']);
    expect(code(() => importSvg('<svg viewBox="0 0 1 1"><path d="M1 1 L1 1"/><path d="M0 0"/></svg>'))).toMatch(/^svg_import/);
    const r = importSvg('<svg viewBox="0 0 1 1"><path d="M5 5 M0 0 L1 1 M3 3"/></svg>');
    expect(r.text).toContain('<path d="M0 0 L1 1"></path>');
  });
});

describe('fuzz: only typed errors, never a hang', () => {
  it('random text never throws anything but AsxError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      try { importSvg(s); } catch (e) { expect(e).toBeInstanceOf(AsxError); }
    }), { numRuns: 3000 });
  });
  it('mutated real icons never throw anything but AsxError', () => {
    const dir = join(process.cwd(), 'node_modules/@mdi/svg/svg');
    const icons = readdirSync(dir).slice(0, 200).map((f) => readFileSync(join(dir, f), 'utf8'));
    fc.assert(fc.property(fc.nat(icons.length - 1), fc.nat(10_000), fc.string({ maxLength: 8 }), fc.nat(8), (k, pos, ins, del) => {
      const s = icons[k];
      const p = pos % (s.length + 1);
      const m = s.slice(0, p) + ins + s.slice(p + del);
      try {
        const r = importSvg(m);
        expect(canonicalize(r.bytes).text).toBe(r.text);
      } catch (e) { expect(e).toBeInstanceOf(AsxError); }
    }), { numRuns: 3000 });
  });
});
