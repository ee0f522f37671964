/** A label selector as Kubernetes defines it (matchLabels AND every expression). */
export interface LabelSelectorLike {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values: readonly string[];
  }[];
}

/**
 * Kubernetes label-selector semantics: every matchLabels pair and every expression (In, NotIn,
 * Exists, DoesNotExist) must hold; an empty selector selects everything (callers that want "empty
 * selects nothing", like SuperEdge's units, check emptiness first). Keys are looked up as own
 * properties only, so `constructor` or `__proto__` never match by accident. An unknown operator
 * selects nothing.
 */
export function labelsMatch(selector: LabelSelectorLike, labels: Readonly<Record<string, string>>): boolean {
  for (const key of Object.keys(selector.matchLabels))
    if (!Object.hasOwn(labels, key) || labels[key] !== selector.matchLabels[key]) return false;
  for (const e of selector.matchExpressions) {
    const has = Object.hasOwn(labels, e.key);
    const value = has ? labels[e.key] : undefined;
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
