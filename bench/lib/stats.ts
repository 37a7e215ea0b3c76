// Small statistics and formatting helpers.

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear interpolation between the closest ranks (type 7, as numpy's default). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

export function max(xs: readonly number[]): number {
  return xs.reduce((a, b) => Math.max(a, b), -Infinity);
}

export function ms(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x.toFixed(digits)} ms`;
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

export function ratio(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${x.toFixed(digits)}×` : 'n/a';
}

export function hrms(start: bigint, end = process.hrtime.bigint()): number {
  return Number(end - start) / 1e6;
}
