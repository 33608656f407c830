/**
 * The guest's /init (busybox sh): resolves the per-CPU symbols from /proc/kallsyms, registers the
 * probes (./probes.ts), then runs every scenario: a warm-up (the first exec of a binary pays its
 * page faults), untraced and traced (timed, for the tracing overhead; the best of `repeats` runs
 * each for the scenarios whose time is not sleeps), and writes to the second serial port (qemu's output file) one block per scenario:
 *
 *   #lazymm kallsyms runqueues=<dec> ...
 *   #lazymm untraced <scenario> rc=<n> lazymm-elapsed <scenario> <us>
 *   #lazymm scenario <scenario> rc=<n> lazymm-elapsed <scenario> <us>
 *   #lazymm lost <scenario> <entries lost to ring-buffer overruns>
 *   #lazymm trace-gz <scenario>
 *   <the ftrace text of the traced run, gzip'ed and base64'ed>
 *   #lazymm end <scenario>
 */
import { TRACEPOINTS, kprobes } from './probes';
import { SCENARIOS } from './scenarios';

const repeatsOf = (name: string) => SCENARIOS.find((s) => s.name === name)?.repeats ?? 1;
const needsModules = (name: string) => SCENARIOS.find((s) => s.name === name)?.modules === true;
import type { Offsets } from './offsets';

/** Per CPU. 16 MiB since the GLOBAL_EXPEDITED gadget scenarios: their caller loop overran 4 MiB on CPU 0 in a CI boot (68,048 entries lost). */
export const RING_BUFFER_KB = 16384;

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function initScript(offsets: Offsets, scenarios: readonly string[]): string {
  const probes = kprobes(offsets);
  return [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s /bin',
    'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tracefs tracefs /sys/kernel/tracing',
    'O=/dev/ttyS1',
    'echo 0 > /proc/sys/kernel/kptr_restrict',
    // init and every workload start on CPU 0 (a workload pins its threads): no CPU but 0 ever runs a
    // workload's mm before the workload puts a thread there (else CPU 1 could idle lazily on it).
    'taskset -p 1 $$ > /dev/null',
    "sym() { grep -m1 -E \" $1\\$\" /proc/kallsyms | cut -d' ' -f1; }",
    'RQ=$((0x$(sym runqueues))); TLB=$((0x$(sym cpu_tlbstate))); TLBS=$((0x$(sym cpu_tlbstate_shared)))',
    "FTS=$(grep -m1 -oE ' finish_task_switch(\\.[a-z]+\\.[0-9]+)*$' /proc/kallsyms | tr -d ' ')",
    'echo "#lazymm kallsyms runqueues=$RQ cpu_tlbstate=$TLB cpu_tlbstate_shared=$TLBS finish_task_switch=$FTS init_mm=0x$(sym init_mm)" > $O',
    'cd /sys/kernel/tracing',
    `echo ${RING_BUFFER_KB} > buffer_size_kb`,
    'echo 1 > options/record-tgid',
    'add() { echo "$1" >> kprobe_events || echo "#lazymm probe-failed $1" > $O; }',
    ...probes.map((p) => `add "${p.line}"`),
    'on() {',
    '  echo 1 > events/lz/enable',
    ...TRACEPOINTS.map((t) => `  echo 1 > events/${t}/enable`),
    '}',
    'off() { echo 0 > events/enable; }',
    'echo 0 > tracing_on',
    // run NAME REPEATS: a warm-up, then REPEATS untraced and REPEATS traced runs; the best elapsed
    // time of each (the machine is shared: the minimum is the least disturbed), the last trace.
    'best() { e=$(awk \'/lazymm-elapsed/ {print $3}\' /tmp/out); if [ -n "$e" ] && { [ -z "$b" ] || [ "$e" -lt "$b" ]; }; then b=$e; fi; }',
    'run() {',
    '  off; echo > trace',
    '  /wl/$1 > /dev/null 2>&1',
    '  b=; for i in $(seq $2); do /wl/$1 > /tmp/out 2>&1; rc=$?; best; done',
    '  echo "#lazymm untraced $1 rc=$rc lazymm-elapsed $1 $b" > $O',
    '  on; b=; for i in $(seq $2); do echo > trace; echo 1 > tracing_on; /wl/$1 > /tmp/out 2>&1; rc=$?; echo 0 > tracing_on; best; done; off',
    '  echo "#lazymm scenario $1 rc=$rc lazymm-elapsed $1 $b" > $O',
    "  echo \"#lazymm lost $1 $(cat per_cpu/cpu*/stats | grep -E '^overrun' | awk '{s+=$2} END {print s}') uptime=$(cut -d' ' -f1 /proc/uptime)\" > $O",
    // The serial port moves about 130 KB/s under TCG: the text goes gzip'ed and base64'ed (./ftrace.ts expands it).
    '  echo "#lazymm trace-gz $1" > $O',
    '  gzip -1 < trace | base64 > $O',
    '  echo "#lazymm end $1 uptime=$(cut -d\' \' -f1 /proc/uptime)" > $O',
    '}',
    // The gadget scenarios' modules (dependencies first, /mod/order), loaded only when one runs.
    ...(scenarios.some(needsModules) ? ['for m in $(cat /mod/order); do insmod /mod/$m.ko || echo "#lazymm module-failed $m" > $O; done'] : []),
    ...scenarios.map((s) => `run ${sh(s)} ${repeatsOf(s)}`),
    'echo "#lazymm done" > $O',
    'poweroff -f',
    '',
  ].join('\n');
}
