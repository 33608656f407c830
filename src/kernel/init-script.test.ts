import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { WORKLOAD_SRC } from './config';
import { initScript } from './init-script';
import { NEEDED, SIZES, type Offsets } from './offsets';
import { kprobes } from './probes';
import { SCENARIOS } from './scenarios';

const offsets = { ...Object.fromEntries(Object.keys(NEEDED).map((k, i) => [k, 1000 + i])), ...Object.fromEntries(Object.keys(SIZES).map((k) => [k, 16])) } as Offsets;

describe('the guest init script', () => {
  test('every scenario has its workload source and is run', () => {
    const script = initScript(offsets, SCENARIOS.map((s) => s.name));
    for (const s of SCENARIOS) {
      expect(fs.existsSync(path.join(WORKLOAD_SRC, `${s.name}.c`))).toBe(true);
      expect(script).toContain(`\nrun '${s.name}' ${s.repeats ?? 1}\n`);
    }
  });

  test('it is valid shell (sh -n)', () => {
    const r = spawnSync('sh', ['-n'], { input: initScript(offsets, ['ge-exit']), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('the gadget modules are loaded (in /mod/order) before the scenarios only when a gadget scenario runs', () => {
    const load = 'for m in $(cat /mod/order); do insmod /mod/$m.ko';
    const gadget = initScript(offsets, ['ge-exit', 'gfs-aio']);
    expect(gadget).toContain(load);
    expect(gadget.indexOf(load)).toBeLessThan(gadget.indexOf("\nrun 'ge-exit' 1\n"));
    expect(initScript(offsets, ['ge-exit'])).not.toContain('insmod');
    expect(spawnSync('sh', ['-n'], { input: gadget, encoding: 'utf8' }).status).toBe(0);
  });

  test('probe fetch-args come from the derived offsets and the per-CPU symbols resolved in the guest', () => {
    const sw = kprobes(offsets).find((p) => p.event === 'sw')!.line;
    expect(sw).toContain(`pam=+${offsets.taskActiveMm}(%dx):x64`);
    expect(sw).toContain(`s1=+$((RQ+${offsets.rqMembarrierState}))(@__per_cpu_offset+8):x32`);
    expect(sw).toContain(`m2=+${offsets.taskMm}(+$((RQ+${offsets.rqCurr}))(@__per_cpu_offset+16)):x64`);
    const smm = kprobes(offsets).find((p) => p.event === 'smm')!.line;
    expect(smm).toContain(`a1=+$((TLB+${offsets.tlbLoadedMmAsid}))(@__per_cpu_offset+8):u16`);
    expect(smm).toContain(`g2x0=+$((TLB+${offsets.tlbCtxs + offsets.tlbCtxTlbGen}))(@__per_cpu_offset+16):u64`);
    // $retval must reach kprobe_events unexpanded by the guest's shell.
    expect(kprobes(offsets).find((p) => p.event === 'mbr')!.line).toContain('ret=\\$retval:s32');
  });
});
