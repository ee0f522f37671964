import Table from 'cli-table3';
import YAML from 'yaml';

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml' | 'name';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  /** only with -o wide */
  wide?: boolean;
}

/** kubectl-style output: an aligned table by default, or the objects as JSON/YAML, or names. */
export function print<T>(
  rows: T[] | T,
  columns: Column<T>[],
  format: OutputFormat = 'table',
  nameOf?: (r: T) => string,
): void {
  const list = Array.isArray(rows) ? rows : [rows];
  if (format === 'json') {
    process.stdout.write(JSON.stringify(Array.isArray(rows) ? { items: list } : rows, null, 2) + '\n');
    return;
  }
  if (format === 'yaml') {
    process.stdout.write(YAML.stringify(Array.isArray(rows) ? { items: list } : rows));
    return;
  }
  if (format === 'name') {
    for (const r of list) process.stdout.write(`${nameOf ? nameOf(r) : String(columns[0]?.value(r))}\n`);
    return;
  }
  if (list.length === 0) {
    process.stdout.write('No resources found.\n');
    return;
  }
  const cols = columns.filter((c) => format === 'wide' || !c.wide);
  const table = new Table({
    head: cols.map((c) => c.header.toUpperCase()),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '   ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const r of list) table.push(cols.map((c) => cell(c.value(r))));
  process.stdout.write(
    table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n') + '\n',
  );
}

function cell(v: unknown): string {
  if (v === undefined || v === null || v === '') return '<none>';
  if (Array.isArray(v)) return v.length ? v.join(',') : '<none>';
  if (typeof v === 'object')
    return (
      Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${k}=${x}`)
        .join(',') || '<none>'
    );
  return String(v);
}

/** "3m", "2h", "45s", "1d" since an ISO time, like kubectl's AGE column. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
