/**
 * Kubernetes resource quantities (apimachinery `resource.Quantity`) as the scheduler compares
 * them: CPU in millicores, memory in bytes. Only what placement needs: a number with an optional
 * decimal-SI (n u m k M G T P E), binary-SI (Ki … Ei) or decimal exponent (e3) suffix.
 */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units, or undefined when it is not a quantity. */
export function parseQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (text.length === 0 || text.length > 64) return undefined;
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const factor = m[2] ? (SUFFIX[m[2]] as number) : m[3] ? 10 ** Number(m[3]) : 1;
  const value = base * factor;
  return Number.isFinite(value) ? value : undefined;
}

export function quantityProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' && typeof text !== 'number')
    return 'must be a quantity such as 250m, 1, 128Mi or 1G';
  const v = parseQuantity(text);
  if (v === undefined)
    return `${JSON.stringify(String(text).slice(0, 64))} is not a quantity (e.g. 250m, 1, 128Mi, 1G)`;
  if (v < 0) return 'must not be negative';
  return undefined;
}

/** CPU in millicores, rounded up like the scheduler (`MilliValue`). */
export function cpuMilli(text: string | number | undefined): number {
  if (text === undefined) return 0;
  const v = parseQuantity(text);
  return v === undefined ? 0 : Math.ceil(v * 1000 - 1e-9);
}

/** Memory in bytes, rounded up. */
export function memoryBytes(text: string | number | undefined): number {
  if (text === undefined) return 0;
  const v = parseQuantity(text);
  return v === undefined ? 0 : Math.ceil(v - 1e-9);
}
