/** Shared bits of the benchmarks: progress lines on stderr-free stdout and the RESULT line. */
export function progress(message: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export function result(figures: Record<string, unknown>): void {
  process.stdout.write(`RESULT ${JSON.stringify(figures)}\n`);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
