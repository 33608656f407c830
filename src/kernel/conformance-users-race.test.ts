/**
 * membarrier-entry when mm_users changes during the call: a kthread_use_mm() caller that takes
 * mmget_not_zero() first (f_fs.c ffs_user_copy_worker() in Debian's 6.1.192) raises it between the
 * entry probe and the kernel's read. The probe at the return (mbr) reads it again.
 */
import { conformanceChecks } from './conformance';
import { parseBootOutput } from './ftrace';

const snap = 's0=0x3 p0=9 m0=0xffff8880aaaa0000 s1=0x2 p1=100 m1=0xffff8880aaaa0000 s2=0x0 p2=0 m2=0x0';
const cu = (users: number) => `cs0=0x3 cu0=${users} cs1=0x3 cu1=${users} cs2=0x0 cu2=0`;

function trace(atEntry: number, atReturn: number | null): string {
  const l = (ts: number, event: string, fields: string) => `         ffs-aio-100     (    100) [001] .....  ${ts}: ${event}: (probe+0x0/0x10) ${fields}`;
  return [
    '#lazymm scenario ffs-aio rc=0 lazymm-elapsed ffs-aio 1000',
    l(1, 'mbe', `cmd=8 flags=0 ${cu(atEntry)} ${snap}`),
    l(2, 'scf', `mask=0x3 func=ipi_mb+0x0/0x10 info=0x0 ${snap}`),
    l(3, 'mbr', `ret=0 ${atReturn === null ? '' : `${cu(atReturn)} `}${snap}`),
    '#lazymm end ffs-aio',
  ].join('\n');
}

const entryChecks = (t: string) => parseBootOutput(t).scenarios.flatMap((s) => conformanceChecks(s.name, s.records)).filter((c) => c.rule === 'membarrier-entry');

describe('membarrier-entry when mm_users changes during the call', () => {
  test('1 at entry, 2 at the return, and a scan: agrees, explained', () => {
    expect(entryChecks(trace(1, 2))).toEqual([expect.objectContaining({ agree: true, model: 'short-circuit', kernel: 'scan', explanation: 'mm_users changed during the call (1 at entry, 2 at return)' })]);
  });

  test('1 at both (or no reading at the return, as in older traces) and a scan: a disagreement', () => {
    for (const t of [trace(1, 1), trace(1, null)]) expect(entryChecks(t)).toEqual([expect.objectContaining({ agree: false, model: 'short-circuit', kernel: 'scan' })]);
  });
});
