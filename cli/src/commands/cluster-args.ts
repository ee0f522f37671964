export { parseLabelArgs, parseTaintArgs } from '@edgeplane/k8s';
/** Argument parsing of the cluster commands (kubectl syntax), kept pure for tests. */

/** `2h`, `90m`, `45s`, `1d`, `1h30m` or plain seconds → seconds. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const re = /(\d+)([dhms])/g;
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(re)) {
    total += Number(m[1]) * { d: 86_400, h: 3_600, m: 60, s: 1 }[m[2] as 'd' | 'h' | 'm' | 's'];
    consumed += m[0].length;
  }
  if (consumed !== t.length || consumed === 0)
    throw new Error(`"${text}" is not a duration (e.g. 2h, 30m, 1h30m)`);
  return total;
}

/** `on|off|true|false|yes|no` → boolean. */
export function parseSwitch(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (['on', 'true', 'yes', 'enable', 'enabled'].includes(t)) return true;
  if (['off', 'false', 'no', 'disable', 'disabled'].includes(t)) return false;
  throw new Error(`"${text}" is not on or off`);
}
