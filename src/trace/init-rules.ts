/**
 * The semantic rules of the init event (the schema checks its shape): CPUs numbered 0..n-1 in order,
 * task and mm ids unique, and every task, mm and CPU it refers to listed in it.
 */
import type { InitEvent } from './events';
import type { RuleProblem } from './trace-rules';

export function initProblems(init: InitEvent): RuleProblem[] {
  const out: RuleProblem[] = [];
  const tasks = new Set<string>();
  const mms = new Set<string>();
  const n = init.cpus.length;
  const dup = (path: string, what: string, id: string) =>
    out.push({ rule: 'unique-id', path, message: `expected each ${what} listed once (got ${JSON.stringify(id)} again)` });
  init.tasks.forEach((t, i) => (tasks.has(t.task) ? dup(`/tasks/${i}/task`, 'task', t.task) : tasks.add(t.task)));
  init.mms.forEach((m, i) => (mms.has(m.mm) ? dup(`/mms/${i}/mm`, 'mm', m.mm) : mms.add(m.mm)));
  if (n === 0) out.push({ rule: 'known-cpu', path: '/cpus', message: 'expected at least one CPU (got 0 items)' });
  const task = (path: string, id: string | null) => {
    if (id !== null && !tasks.has(id)) out.push({ rule: 'known-task', path, message: `expected a task listed in tasks (got ${JSON.stringify(id)})` });
  };
  const mm = (path: string, id: string | null) => {
    if (id !== null && id !== 'SWITCHING' && !mms.has(id)) out.push({ rule: 'known-mm', path, message: `expected an mm listed in mms (got ${JSON.stringify(id)})` });
  };
  init.cpus.forEach((c, i) => {
    if (c.cpu !== i) out.push({ rule: 'known-cpu', path: `/cpus/${i}/cpu`, message: `expected ${i}: cpus are listed in order 0..${n - 1} (got ${c.cpu})` });
    task(`/cpus/${i}/curr`, c.curr);
    mm(`/cpus/${i}/loadedMm`, c.loadedMm);
  });
  init.tasks.forEach((t, i) => {
    mm(`/tasks/${i}/mm`, t.mm);
    mm(`/tasks/${i}/activeMm`, t.activeMm);
  });
  init.mms.forEach((m, i) =>
    m.cpumask.forEach((c, j) => {
      if (c >= n) out.push({ rule: 'known-cpu', path: `/mms/${i}/cpumask/${j}`, message: `expected integer 0..${n - 1} (the init event lists ${n} CPUs) (got ${c})` });
    }),
  );
  init.refs.forEach((r, i) => mm(`/refs/${i}/mm`, r.mm));
  return out.slice(0, 10);
}
