import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Remembers the server processes a stack started in its data folder, so that a launcher killed
 * without warning (SIGKILL, a closed terminal) does not leave a Temporal server holding the SQLite
 * file when the stack starts again.
 */
export function pidFile(dataDir: string, name: string): string {
  return path.join(dataDir, 'run', `${name}.pid`);
}

export function recordPid(dataDir: string, name: string, pid: number): void {
  fs.mkdirSync(path.join(dataDir, 'run'), { recursive: true });
  fs.writeFileSync(pidFile(dataDir, name), String(pid));
}

export function forgetPid(dataDir: string, name: string): void {
  fs.rmSync(pidFile(dataDir, name), { force: true });
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Stops a leftover process from an earlier run, only if it is still the same program on the same data. */
export async function stopLeftover(dataDir: string, name: string, mustContain: string): Promise<boolean> {
  const file = pidFile(dataDir, name);
  if (!fs.existsSync(file)) return false;
  const pid = Number(fs.readFileSync(file, 'utf8'));
  fs.rmSync(file, { force: true });
  return stopProcessIf(pid, mustContain);
}

/**
 * Stops `pid` (SIGTERM, then SIGKILL after 5 s) if its command line still contains `mustContain`;
 * a pid reused by another program is left alone.
 */
export async function stopProcessIf(pid: number, mustContain: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
  if (!pid || !cmdline(pid).includes(mustContain)) return false;
  process.kill(pid, signal);
  for (let i = 0; i < 50 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

/** True while the process exists and is not a zombie waiting for its parent. */
export function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
