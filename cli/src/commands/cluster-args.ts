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

/** `key=value` sets, `key-` removes (kubectl label). */
export function parseLabelArgs(args: string[]): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const arg of args) {
    if (arg.endsWith('-') && !arg.includes('=')) remove.push(arg.slice(0, -1));
    else {
      const eq = arg.indexOf('=');
      if (eq <= 0) throw new Error(`"${arg}" is neither key=value nor key-`);
      set[arg.slice(0, eq)] = arg.slice(eq + 1);
    }
  }
  return { set, remove };
}

/** `key[=value]:Effect` sets, `key[:Effect]-` removes (kubectl taint). */
export function parseTaintArgs(args: string[]): {
  set: { key: string; value: string; effect: string }[];
  remove: { key: string; effect: string }[];
} {
  const set: { key: string; value: string; effect: string }[] = [];
  const remove: { key: string; effect: string }[] = [];
  for (const arg of args) {
    if (arg.endsWith('-')) {
      const body = arg.slice(0, -1);
      const colon = body.lastIndexOf(':');
      remove.push(
        colon < 0 ? { key: body, effect: '' } : { key: body.slice(0, colon), effect: body.slice(colon + 1) },
      );
      continue;
    }
    const colon = arg.lastIndexOf(':');
    if (colon < 0) throw new Error(`"${arg}" must be key[=value]:Effect or key[:Effect]-`);
    const keyValue = arg.slice(0, colon);
    const eq = keyValue.indexOf('=');
    set.push({
      key: eq < 0 ? keyValue : keyValue.slice(0, eq),
      value: eq < 0 ? '' : keyValue.slice(eq + 1),
      effect: arg.slice(colon + 1),
    });
  }
  return { set, remove };
}

/** `on|off|true|false|yes|no` → boolean. */
export function parseSwitch(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (['on', 'true', 'yes', 'enable', 'enabled'].includes(t)) return true;
  if (['off', 'false', 'no', 'disable', 'disabled'].includes(t)) return false;
  throw new Error(`"${text}" is not on or off`);
}
