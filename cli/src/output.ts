import Table from 'cli-table3';
import { Option } from 'commander';
import YAML from 'yaml';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The `-o` flag every command that prints a resource takes (a command may offer fewer formats). */
export const outputOption = (formats: readonly OutputFormat[] = OUTPUT_FORMATS) =>
  new Option('-o, --output <format>', 'output format').choices(formats).default('table');

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  /** only with -o wide */
  wide?: boolean;
}

const write = (text: string) => process.stdout.write(text);

/** kubectl-style output: an aligned table by default, or the objects as JSON/YAML, or names. */
export function print<T>(
  rows: T[] | T,
  columns: Column<T>[],
  format: OutputFormat = 'table',
  nameOf?: (r: T) => string,
): void {
  const list = Array.isArray(rows) ? rows : [rows];
  if (format === 'json') {
    write(JSON.stringify(Array.isArray(rows) ? { items: list } : rows, null, 2) + '\n');
    return;
  }
  if (format === 'yaml') {
    write(YAML.stringify(Array.isArray(rows) ? { items: list } : rows));
    return;
  }
  if (format === 'name') {
    for (const r of list) write(`${nameOf ? nameOf(r) : String(columns[0]?.value(r))}\n`);
    return;
  }
  if (list.length === 0) {
    write('No resources found.\n');
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
  write(
    table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n') + '\n',
  );
}

/** What a write command prints: one summary line by default, the resource in any other format. */
export function printChange<T>(
  resource: T,
  summary: (r: T) => string,
  columns: Column<T>[],
  format: OutputFormat,
  nameOf?: (r: T) => string,
): void {
  if (format === 'table') write(`${summary(resource)}\n`);
  else print(resource, columns, format, nameOf);
}

/**
 * A single object with its own text form (a description, a join command, a change list): the
 * object itself as JSON/YAML, its name with `-o name` when it has one, its text otherwise.
 */
export function printDocument<T>(
  value: T,
  format: OutputFormat,
  text: (v: T) => string,
  nameOf?: (v: T) => string,
): void {
  if (format === 'json' || format === 'yaml') print(value, [], format);
  else if (format === 'name' && nameOf) write(`${nameOf(value)}\n`);
  else write(text(value));
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
