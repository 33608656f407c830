import { listEngines, listVariants } from '../../src/engine/registry';
import { FINDINGS } from '../../src/findings';
import { allProperties } from '../../properties';
import { lazymm } from './helpers';

describe('lazymm list', () => {
  const r = lazymm('list');

  it('exits 0 with nothing on stderr', () => {
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });

  it('lists the 9 engines with their labels and descriptions', () => {
    expect(listEngines()).toHaveLength(9);
    for (const e of listEngines()) expect(r.out).toMatch(new RegExp(`^${e.id} +${e.label} +\\S`, 'm'));
    expect(r.out).toMatch(/counterfactual/);
  });

  it('lists the knobs of each arch with default, accepted values and what they model', () => {
    expect(r.out).toMatch(/^ {2}x86:\n {4}\S+ \(default \S+; accepts /m);
    expect(r.out).toMatch(/^ {2}powerpc:$/m);
    expect(r.out).toMatch(/^ {2}arm64:$/m);
    expect(r.out).toContain('pti (default false; accepts false, true)');
  });

  it('lists every variant, property and finding', () => {
    for (const v of listVariants()) expect(r.out).toContain(`  ${v.id} (on ${v.base})`);
    for (const p of allProperties) expect(r.out).toContain(`  ${p.id}: ${p.title}`);
    if (FINDINGS.length) expect(r.out).toContain('FINDINGS');
    for (const f of FINDINGS) expect(r.out).toContain(`  ${f.id} [${f.status}]`);
  });

  it('--json prints the same as one document', () => {
    const doc = JSON.parse(lazymm('list', '--json').out);
    expect(doc.engines.map((e: { id: string }) => e.id)).toEqual(listEngines().map((e) => e.id));
    expect(Object.keys(doc.knobs)).toEqual(['x86', 'powerpc', 'arm64']);
    expect(doc.variants).toHaveLength(listVariants().length);
    expect(doc.properties).toHaveLength(allProperties.length);
    expect(doc.findings).toHaveLength(FINDINGS.length);
  });
});
