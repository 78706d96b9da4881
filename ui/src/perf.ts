/** Performance marks the benchmark reads (`cauce:open`, `cauce:layout`, `cauce:validate`). */
export function measure(name: string, start: number, detail?: Record<string, unknown>): void {
  try {
    performance.measure(name, { start, end: performance.now(), detail });
  } catch {
    // jsdom and old browsers: measures are optional
  }
}
