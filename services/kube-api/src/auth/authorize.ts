import { ApiError } from '../http/status.js';
import type { Identity } from './authenticate.js';

export interface RequestAttributes {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  group: string;
  resource: string;
  name?: string;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

/**
 * The one authorization seam (roles come later, issue 12): today the admin credential
 * (`system:masters`) may do everything, and a node credential may read its own Node only
 * (a narrow start on Kubernetes' Node authorizer). Returns the Forbidden to answer, if any.
 */
export function authorize(identity: Identity, attrs: RequestAttributes): ApiError | undefined {
  if (identity.kind === 'admin' && identity.groups.includes('system:masters')) return undefined;
  if (
    identity.kind === 'node' &&
    attrs.group === '' &&
    attrs.resource === 'nodes' &&
    READ_VERBS.has(attrs.verb) &&
    attrs.name !== undefined &&
    attrs.name === identity.nodeName
  ) {
    return undefined;
  }
  const what = attrs.name
    ? `${attrs.resource}${attrs.group ? `.${attrs.group}` : ''} "${attrs.name}"`
    : `${attrs.resource}${attrs.group ? `.${attrs.group}` : ''}`;
  return new ApiError(
    403,
    'Forbidden',
    `${what} is forbidden: User "${identity.user}" cannot ${attrs.verb} resource "${attrs.resource}" in API group "${attrs.group}" at the cluster scope`,
    { ...(attrs.name ? { name: attrs.name } : {}), group: attrs.group, kind: attrs.resource },
  );
}
