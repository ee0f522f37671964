import ipaddr from 'ipaddr.js';
import { preview } from './preview.js';

/**
 * Kubernetes name, label and taint syntax (apimachinery's validation rules), as pure predicates
 * that return the reasons a value is refused (empty = valid).
 */

/** A dotted-quad IPv4 or any IPv6 address (node names must not be one). */
export function isIpAddress(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

export interface Taint {
  key: string;
  value: string;
  effect: TaintEffect;
}

/** DNS-1123 label (≤63, no dots): what unit and group names must be, since they become label keys. */
export function dns1123LabelProblems(value: string): string[] {
  if (value.length === 0) return ['must not be empty'];
  if (value.length > 63) return [`must be at most 63 characters, got ${value.length}`];
  if (!new RegExp(`^${DNS1123_LABEL}$`).test(value)) {
    return [
      "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
    ];
  }
  return [];
}

export function dns1123SubdomainProblems(value: string): string[] {
  if (value.length === 0) return ['must not be empty'];
  // too long: say so without running the pattern over it
  if (value.length > 253) return [`must be at most 253 characters, got ${value.length}`];
  const problems: string[] = [];
  if (!DNS1123_SUBDOMAIN.test(value)) {
    problems.push(
      "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
    );
  }
  return problems;
}

/** F-NO-3: DNS-1123 subdomain and not an IP address (IPv4 or IPv6). */
export function nodeNameProblems(name: string): string[] {
  if (name.length <= 253 && isIpAddress(name))
    return [`${preview(name)} is an IP address; a node name must not be one`];
  return dns1123SubdomainProblems(name).map((p) => `node name ${preview(name)} ${p}`);
}

/** Qualified name `[prefix/]name`: prefix a DNS-1123 subdomain (≤253), name ≤63 of [A-Za-z0-9-_.]. */
export function qualifiedNameProblems(key: string): string[] {
  if (key.length > 253 + 1 + 63) return [`must be at most ${253 + 1 + 63} characters, got ${key.length}`];
  const parts = key.split('/');
  if (parts.length > 2) return [`${preview(key)} has more than one "/"`];
  const [first, second] = parts;
  const name = second ?? first ?? '';
  const problems: string[] = [];
  if (second !== undefined) {
    const prefix = first ?? '';
    if (prefix.length === 0) problems.push(`${preview(key)} has an empty prefix before "/"`);
    else problems.push(...dns1123SubdomainProblems(prefix).map((p) => `prefix ${preview(prefix)} ${p}`));
  }
  if (name.length === 0) problems.push(`${preview(key)} has an empty name`);
  else if (name.length > 63)
    problems.push(`name part of ${preview(key)} must be at most 63 characters, got ${name.length}`);
  else if (!QUALIFIED_NAME_PART.test(name)) {
    problems.push(
      `name part of ${preview(key)} must be alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
    );
  }
  return problems;
}

export function labelValueProblems(value: string): string[] {
  if (value.length > 63) return [`value must be at most 63 characters, got ${value.length}`];
  if (!LABEL_VALUE.test(value)) {
    return [
      `value ${preview(value)} must be empty or alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
    ];
  }
  return [];
}

export function isTaintEffect(value: string): value is TaintEffect {
  return (TAINT_EFFECTS as readonly string[]).includes(value);
}

export function taintProblems(taint: { key: string; value?: string; effect: string }): string[] {
  return [
    ...qualifiedNameProblems(taint.key),
    ...labelValueProblems(taint.value ?? ''),
    ...(isTaintEffect(taint.effect)
      ? []
      : [`effect must be one of ${TAINT_EFFECTS.join(', ')}, got ${preview(taint.effect)}`]),
  ];
}

/** Parses kubectl-style label arguments: `key=value` sets, `key-` removes. */
export function parseLabelArgs(args: string[]): { set: Record<string, string>; remove: string[] } {
  const set = Object.create(null) as Record<string, string>;
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

/** Parses kubectl-style taint arguments: `key[=value]:Effect` sets, `key[:Effect]-` removes. */
export function parseTaintArgs(args: string[]): {
  set: { key: string; value: string; effect: string }[];
  remove: { key: string; effect?: string }[];
} {
  const set: { key: string; value: string; effect: string }[] = [];
  const remove: { key: string; effect?: string }[] = [];
  for (const arg of args) {
    if (arg.endsWith('-')) {
      const body = arg.slice(0, -1);
      const colon = body.lastIndexOf(':');
      remove.push(colon < 0 ? { key: body } : { key: body.slice(0, colon), effect: body.slice(colon + 1) });
      continue;
    }
    const colon = arg.lastIndexOf(':');
    if (colon < 0) throw new Error(`"${arg}" must be key[=value]:Effect`);
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
