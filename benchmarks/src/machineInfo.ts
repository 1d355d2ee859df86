import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** The machine a run happened on: recorded in every JSON result and printed in the header. */
export interface MachineInfo {
  readonly node: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpus: number;
  readonly totalMemMiB: number;
  readonly uvThreadpoolSize: string;
  /** 1, 5 and 15 minute load averages at the time of the call. */
  readonly loadavg: readonly number[];
}

/**
 * A snapshot of the machine and its load.
 *
 * @example
 * ```ts
 * import { machineInfo } from './machineInfo.ts';
 * console.assert(machineInfo().cpus >= 1);
 * ```
 */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: list[0]?.model ?? 'unknown',
    cpus: list.length,
    totalMemMiB: Math.round(totalmem() / 2 ** 20),
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
    loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** The 1-minute load average. */
export function loadAverage1(): number {
  return Number((loadavg()[0] ?? 0).toFixed(2));
}

/** Cumulative CPU jiffies from /proc/stat (Linux), for busy and steal shares over an interval. */
export interface CpuTimes {
  readonly total: number;
  readonly idle: number;
  readonly steal: number;
}

/**
 * Machine-wide CPU counters, or `undefined` where /proc/stat does not exist. Two snapshots give
 * the share of CPU that was busy (any process, not only ours) and stolen by the hypervisor —
 * which load average does not show.
 *
 * @example
 * ```ts
 * import { cpuShares, cpuTimes } from './machineInfo.ts';
 * const a = cpuTimes();
 * const b = cpuTimes();
 * if (a && b) console.assert(cpuShares(a, b).busy >= 0);
 * ```
 */
export function cpuTimes(): CpuTimes | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return {
    total: user + nice + system + idle + iowait + irq + softirq + steal,
    idle: idle + iowait,
    steal,
  };
}

/** Busy and steal shares (0–1) of all CPUs between two snapshots. */
export function cpuShares(a: CpuTimes, b: CpuTimes): { busy: number; steal: number } {
  const total = b.total - a.total;
  if (total <= 0) return { busy: 0, steal: 0 };
  return {
    busy: Number(((total - (b.idle - a.idle)) / total).toFixed(3)),
    steal: Number(((b.steal - a.steal) / total).toFixed(3)),
  };
}

/**
 * CPU time of this process in milliseconds (user + system, all threads, libuv pool included).
 *
 * @example
 * ```ts
 * import { processCpuMs } from './machineInfo.ts';
 * console.assert(processCpuMs() > 0);
 * ```
 */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
