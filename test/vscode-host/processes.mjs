// Finds and ends the processes of one run by PID: the descendants of what we spawned, plus any process
// carrying the run's tag in its environment (an orphan re-parented to init still carries it).
import { readdirSync, readFileSync } from 'node:fs';

export const RUN_TAG_VAR = 'OPENROUTER_VSCODE_TEST_RUN';

/** Every process visible in /proc, with the fields needed to walk trees and detect PID reuse. */
export function listProcesses() {
  const processes = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), start: fields[19] });
    } catch {
      // The process ended while we read.
    }
  }
  return processes;
}

function hasTag(pid, tag) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${RUN_TAG_VAR}=${tag}`);
  } catch {
    return false;
  }
}

/** The given roots, their descendants, members of their process groups, and every process tagged with `tag`. */
export function processesOfRun(rootPids, tag) {
  const all = listProcesses();
  const chosen = new Map();
  const roots = new Set(rootPids.filter(Boolean));
  for (const proc of all) {
    if (roots.has(proc.pid) || roots.has(proc.pgid) || (tag && hasTag(proc.pid, tag))) chosen.set(proc.pid, proc);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const proc of all) {
      if (!chosen.has(proc.pid) && chosen.has(proc.ppid)) {
        chosen.set(proc.pid, proc);
        grew = true;
      }
    }
  }
  chosen.delete(process.pid);
  return [...chosen.values()];
}

function stillSame(proc) {
  try {
    const stat = readFileSync(`/proc/${proc.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie has exited already; only its parent's wait remains.
    return fields[19] === proc.start && fields[0] !== 'Z';
  } catch {
    return false;
  }
}

function signal(proc, sig) {
  if (!stillSame(proc)) return;
  try {
    process.kill(proc.pid, sig);
  } catch {
    // Gone between the check and the signal.
  }
}

async function waitGone(procs, ms) {
  const deadline = Date.now() + ms;
  let alive = procs.filter(stillSame);
  while (alive.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    alive = alive.filter(stillSame);
  }
  return alive;
}

/** SIGTERM to each process of the run, SIGKILL to those still there after `graceMs`; returns how many were ended. */
export async function endProcessesOfRun(rootPids, tag, { graceMs = 3000 } = {}) {
  const procs = processesOfRun(rootPids, tag);
  for (const proc of procs) signal(proc, 'SIGTERM');
  let alive = await waitGone(procs, graceMs);
  // Children spawned while we were stopping are caught by a second look.
  const late = processesOfRun(rootPids, tag).filter((proc) => !procs.some((p) => p.pid === proc.pid));
  alive = [...alive, ...late];
  for (const proc of alive) signal(proc, 'SIGKILL');
  const survivors = await waitGone(alive, 2000);
  if (survivors.length) throw new Error(`processes survived SIGKILL: ${survivors.map((p) => p.pid).join(', ')}`);
  return procs.length + late.length;
}

/** Resident memory (MiB) of the run's processes, summed. */
export function memoryOfRun(rootPids, tag) {
  let kib = 0;
  for (const proc of processesOfRun(rootPids, tag)) {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
      if (match) kib += Number(match[1]);
    } catch {
      // Ended meanwhile.
    }
  }
  return Math.round(kib / 1024);
}
