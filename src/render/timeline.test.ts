import type { TraceEvent } from '../trace/events';
import { EXAMPLE_EVENTS } from '../trace/examples';
import { SYNC_CORE_GAP_TRACE, SYNC_CORE_GAP_VIOLATION } from './example-trace';
import { renderOps, renderTimeline } from './timeline';

const lines = (text: string) => text.split('\n');
/** The diagram line that shows event `index` (its label is `[index]` or `[index-...]`). */
const rowOf = (text: string, index: number) => {
  const row = lines(text).find((l) => new RegExp(`^. \\[${index}(-\\d+)?\\]`).test(l));
  if (!row) throw new Error(`no row for event ${index} in:\n${text}`);
  return row;
};
/** Where the text of a row starts (after the label). */
const textStart = (row: string) => row.search(/(?<=\] +)\S/);

describe('renderTimeline: the SYNC_CORE gap example', () => {
  const out = renderTimeline(SYNC_CORE_GAP_TRACE, { highlight: [14, 26], violation: SYNC_CORE_GAP_VIOLATION });
  const all = lines(out);
  const header = all.find((l) => /^ +CPU0/.test(l))!;
  const cpu0 = header.indexOf('CPU0');
  const cpu1 = header.indexOf('CPU1');

  it('names the engine and its knobs above a header with one fixed-width column per CPU', () => {
    expect(all[0]).toBe('x86/refcount (pti=false)');
    expect(all[1]).toBe('');
    expect(all[2]).toBe(header);
    expect(header.trim()).toMatch(/^CPU0 +CPU1$/);
    expect(cpu0).toBeGreaterThan(0);
    expect(cpu1).toBeGreaterThan(cpu0 + 'CPU0'.length);
  });

  it('puts each event in its CPU column, time running down, with indices on the left', () => {
    expect(textStart(rowOf(out, 1))).toBe(cpu0);
    expect(rowOf(out, 1)).toContain('T1 enters kernel (syscall)');
    expect(textStart(rowOf(out, 10))).toBe(cpu1);
    const order = [1, 4, 10, 14, 25, 37].map((i) => all.indexOf(rowOf(out, i)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('shows the initial state of every CPU in its column', () => {
    const init = rowOf(out, 0);
    expect(init.indexOf('T1 (user, mm1)')).toBe(cpu0);
    expect(init.indexOf('T2 (user, mm1)')).toBe(cpu1);
  });

  it('opens a kernel path with fn(): and indents its steps; path ends print nothing', () => {
    expect(rowOf(out, 2).slice(cpu0)).toBe('context_switch():  (T1)');
    expect(textStart(rowOf(out, 4))).toBe(cpu0 + 2);
    expect(rowOf(out, 4)).toContain('__schedule(): rq->curr = K1');
    expect(rowOf(out, 8)).toContain('switch_to(T1, K1)'); // fn context_switch: the path names it
    expect(all.some((l) => /^. \[(9|36)\]/.test(l))).toBe(false);
    expect(textStart(rowOf(out, 37))).toBe(cpu0); // back at depth 0 after the path ended
  });

  it('groups runs of one function under a header (membarrier)', () => {
    const header11 = all[all.indexOf(rowOf(out, 11)) - 1];
    expect(header11.trim()).toBe('membarrier_private_expedited():');
    expect(header11.indexOf('membarrier_private_expedited')).toBe(cpu1);
    expect(rowOf(out, 11).slice(cpu1 + 2)).toBe('membarrier(PRIVATE_EXPEDITED_SYNC_CORE)');
    expect(rowOf(out, 15)).toContain('scan CPU1: T2 (mm1) -> IPI');
  });

  it('folds barriers into the row they belong to, with the index range', () => {
    // 17-19 belong to the IPI handler; 20 is membarrier()'s exit smp_mb(), shown by its phase (21).
    expect(rowOf(out, 16)).toMatch(/^  \[16-19\] +ipi_sync_core\(\) \(local\) \[mb, serialize\(sync_core\)\]$/);
    expect(rowOf(out, 20)).toMatch(/^  \[20-21\] +smp_mb\(\) \(exit\)$/);
    expect(rowOf(out, 11)).toMatch(/^  \[11\] +membarrier\(PRIVATE_EXPEDITED_SYNC_CORE\)$/);
    expect(rowOf(out, 12)).toMatch(/\[12-13\] +smp_mb\(\) \(entry\)$/);
    expect(rowOf(out, 3)).toContain('__schedule(): smp_mb()'); // nothing to attach to: its own row
  });

  it('keeps reference counts in one right-hand margin column', () => {
    const margin = rowOf(out, 0).indexOf('mm1.mm_users 2, mm_count 1');
    expect(margin).toBeGreaterThan(cpu1);
    expect(rowOf(out, 7).indexOf('mm1.mm_count 1->2  lazy task:K1')).toBe(margin);
    expect(rowOf(out, 34).indexOf('mm1.mm_count 2->1')).toBe(margin);
    expect(rowOf(out, 34)).toContain('mmdrop_lazy_tlb_sched(mm1) [mb]');
  });

  it('marks the violation with > and highlighted events with *', () => {
    expect(rowOf(out, 37)).toMatch(/^> \[37\] +return to user T1 \(sysret\)$/);
    expect(rowOf(out, 14)).toMatch(/^\* \[14\]/);
    expect(rowOf(out, 26)).toMatch(/^\* \[26-27\] +switch_mm_irqs_off\(\): is_lazy = false \[mb\]$/);
    expect(rowOf(out, 1)).toMatch(/^  \[1\]/);
  });

  it('ends the diagram with the centred rule, then the explanation wrapped at 100 columns', () => {
    const rule = all.findIndex((l) => l.includes('VIOLATION'));
    expect(all[rule].trim()).toBe('VIOLATION sync-core-before-usermode C3.1 user entry without core serialization at [37]');
    expect(all[rule].length - all[rule].trimStart().length).toBeGreaterThan(0);
    expect(all[rule - 1]).toBe('');
    expect(all[rule + 1]).toBe('');
    const paragraph = all.slice(rule + 2);
    expect(paragraph.join(' ')).toBe(SYNC_CORE_GAP_VIOLATION.message);
    expect(paragraph.length).toBeGreaterThan(1);
    for (const l of paragraph) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('leaves no trailing whitespace', () => {
    for (const l of all) expect(l).toBe(l.trimEnd());
  });
});

describe('renderTimeline: folding rules', () => {
  const trace: TraceEvent[] = [
    EXAMPLE_EVENTS.init,
    /* 1 */ { k: 'path', cpu: 1, fn: 'context_switch', phase: 'begin', task: 'idle1' },
    /* 2 */ { k: 'rq_curr', cpu: 1, fn: '__schedule', task: 'T3' },
    /* 3 */ { k: 'load_mm', cpu: 1, fn: 'switch_mm_irqs_off', mm: 'mm2', cr3Write: true, flushed: true },
    /* 4 */ { k: 'mb', cpu: 1, fn: 'load_new_mm_cr3' },
    /* 5 */ { k: 'serialize', cpu: 1, fn: 'load_new_mm_cr3', how: 'write_cr3' },
    /* 6 */ { k: 'switch_to', cpu: 1, fn: 'context_switch', prev: 'idle1', task: 'T3' },
    /* 7 */ { k: 'path', cpu: 1, fn: 'context_switch', phase: 'end', task: 'idle1' },
    /* 8 */ { k: 'mb', cpu: 1, fn: 'iret' },
    /* 9 */ { k: 'serialize', cpu: 1, fn: 'swapgs_restore_regs_and_return_to_usermode', how: 'iret' },
    /* 10 */ { k: 'user_enter', cpu: 1, fn: 'swapgs_restore_regs_and_return_to_usermode', task: 'T3', via: 'iret' },
    /* 11 */ { k: 'ref', cpu: 0, fn: 'mmput', mm: 'mm1', counter: 'mm_users', delta: -1, value: 0, token: 'users', owner: 'task:T1' },
    /* 12 */ { k: 'mm_teardown', cpu: 0, fn: 'exit_mmap', mm: 'mm1' },
    /* 13 */ { k: 'ref', cpu: 0, fn: 'mmput', mm: 'mm1', counter: 'mm_count', delta: -1, value: 0, token: 'users1', owner: 'mm_users' },
    /* 14 */ { k: 'mb', cpu: 0, fn: 'mmput' },
    /* 15 */ { k: 'mmdrop_begin', cpu: 0, fn: '__mmdrop', mm: 'mm1' },
    /* 16 */ { k: 'mm_free', cpu: 0, fn: '__mmdrop', mm: 'mm1' },
  ];

  it('x86 CR3 write: load_mm carries its mb and serialize', () => {
    expect(rowOf(renderTimeline(trace), 3)).toMatch(/\[3-5\] +switch_mm_irqs_off\(\): write CR3 mm2 \(flush\) \[mb, serialize\]$/);
  });

  it('IRET: the barriers before user_enter fold forward into it', () => {
    expect(rowOf(renderTimeline(trace), 8)).toMatch(/\[8-10\] +return to user T3 \(iret\) \[mb, serialize\]$/);
  });

  it('a cited barrier keeps its own row, and so does a cited path end', () => {
    const out = renderTimeline(trace, { highlight: [5, 7] });
    expect(rowOf(out, 3)).toMatch(/\[3-4\] .*write CR3 mm2 \(flush\) \[mb\]$/);
    expect(rowOf(out, 5)).toMatch(/^\* \[5\] +load_new_mm_cr3\(\): serialize\(write_cr3\)$/);
    expect(rowOf(out, 7)).toMatch(/^\* \[7\] +context_switch\(\) done$/);
  });

  it('prints the mm lifecycle with its counts and the free in the margin', () => {
    const out = renderTimeline(trace);
    expect(rowOf(out, 11)).toMatch(/mmput\(mm1\) +mm1\.mm_users 1->0  users task:T1$/);
    expect(rowOf(out, 12)).toMatch(/exit_mmap\(mm1\) +mm1 page tables freed$/);
    expect(rowOf(out, 13)).toMatch(/\[13-14\] +mmput\(\): mmdrop\(mm1\) \[mb\] +mm1\.mm_count 1->0  users1 mm_users$/);
    expect(rowOf(out, 16)).toMatch(/free_mm\(mm1\) +mm1 FREED$/);
  });

  it('leaves out NMIs and page walks through live mms unless cited', () => {
    const walk = (mm: string | null): TraceEvent => ({ k: 'deref', cpu: 1, fn: 'page_walk', mm, who: 'walker' });
    const withWalks = [...trace, walk('mm2'), walk('mm1'), walk(null)];
    const out = renderTimeline(withWalks);
    expect(out).not.toContain('[17]');
    expect(rowOf(out, 18)).toContain('page walk through mm1'); // mm1 was freed at 16
    expect(rowOf(out, 19)).toContain('page walk through NULL');
    expect(rowOf(renderTimeline(withWalks, { highlight: [17] }), 17)).toContain('page walk through mm2');
  });

  it('adds columns when asked for more CPUs than the trace has', () => {
    expect(lines(renderTimeline(trace, { cpus: 4 })).find((l) => l.includes('CPU0'))!.trim()).toMatch(/^CPU0 +CPU1 +CPU2 +CPU3$/);
  });

  it('renders a trace without a violation without a rule line', () => {
    expect(renderTimeline(trace)).not.toContain('VIOLATION');
  });
});

describe('renderOps', () => {
  it('prints one op per line with its index, using formatOp', () => {
    expect(renderOps([{ op: 'syscall', cpu: 0 }, { op: 'schedule', cpu: 1, next: 'T2' }])).toBe(
      '  0  cpu0 syscall\n  1  cpu1 schedule(next=T2)',
    );
    expect(renderOps([])).toBe('');
  });
});
