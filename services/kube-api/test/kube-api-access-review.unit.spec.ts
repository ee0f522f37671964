import { describe, expect, it } from 'vitest';
import type { Identity } from '../src/auth/identity.js';
import { authorize } from '../src/auth/authorize.js';
import {
  decodeProtobufBody,
  reviewAccess,
  rulesOf,
  selfSubjectAccessReviewsResource,
} from '../src/resources/access-reviews.js';
import type { KubeObject, RequestContext } from '../src/resources/resource.js';

const who = (groups: string[], user = 'bob'): Identity => ({ user, groups, kind: 'user' });
const view = who(['edgeplane:view'], 'vera');
const edit = who(['edgeplane:edit'], 'ed');
const admin = who(['system:masters'], 'admin');
const nobody = who(['edgeplane:subscribers'], 'sub');
const node: Identity = { user: 'system:node:bj-1', groups: ['system:nodes'], kind: 'node', nodeName: 'bj-1' };
const units = (verb: string, extra: Record<string, string> = {}) => ({
  resourceAttributes: { verb, group: 'site.superedge.io', resource: 'nodeunits', ...extra },
});

describe('SelfSubjectAccessReview: the request authorizer answers "may I?"', () => {
  it('every role may ask (system:basic-user); a credential without a role may not', () => {
    const ask = {
      verb: 'create' as const,
      group: 'authorization.k8s.io',
      resource: 'selfsubjectaccessreviews',
    };
    for (const id of [view, edit, admin, node]) expect(authorize(id, ask)).toBeUndefined();
    expect(authorize(nobody, ask)?.code).toBe(403);
    // only creating a review: not reading or deleting one, not another group's resource of that name
    expect(authorize(view, { ...ask, verb: 'delete' })?.code).toBe(403);
    expect(authorize(view, { ...ask, group: 'evil.io' })?.code).toBe(403);
  });

  it('view may read but not write; edit and cluster-admin may write; the reason is the Forbidden text', () => {
    expect(reviewAccess(view, units('list')).allowed).toBe(true);
    expect(reviewAccess(view, units('get', { name: 'beijing' })).allowed).toBe(true);
    const denied = reviewAccess(view, units('create'));
    expect(denied.allowed).toBe(false);
    expect(denied.reason).toBe(
      'nodeunits.site.superedge.io is forbidden: User "vera" cannot create resource "nodeunits" in API group "site.superedge.io" at the cluster scope',
    );
    expect(reviewAccess(view, units('delete', { name: 'beijing' })).allowed).toBe(false);
    expect(reviewAccess(view, units('patch', { subresource: 'kins', name: 'b' })).allowed).toBe(false);
    for (const id of [edit, admin]) {
      expect(reviewAccess(id, units('create')).allowed).toBe(true);
      expect(reviewAccess(id, units('delete', { name: 'beijing' })).allowed).toBe(true);
    }
    // namespaced: the words name the namespace
    const grid = {
      resourceAttributes: {
        verb: 'create',
        group: 'superedge.io',
        resource: 'deploymentgrids',
        namespace: 'default',
      },
    };
    expect(reviewAccess(view, grid).reason).toMatch(/in the namespace "default"$/);
    // logs: view reads them, exec is edit's
    const pod = (verb: string, subresource: string) => ({
      resourceAttributes: { verb, group: '', resource: 'pods', subresource, namespace: 'default', name: 'p' },
    });
    expect(reviewAccess(view, pod('get', 'log')).allowed).toBe(true);
    expect(reviewAccess(view, pod('create', 'exec')).allowed).toBe(false);
    expect(reviewAccess(edit, pod('create', 'exec')).allowed).toBe(true);
  });

  it("a node's answers are the Node authorizer's: its own Node, nobody else's", () => {
    const nodes = (verb: string, name: string) => ({
      resourceAttributes: { verb, group: '', resource: 'nodes', name },
    });
    expect(reviewAccess(node, nodes('get', 'bj-1')).allowed).toBe(true);
    const other = reviewAccess(node, nodes('get', 'gz-1'));
    expect(other.allowed).toBe(false);
    expect(other.reason).toMatch(/no relationship found between node 'bj-1' and this object/);
  });

  it('non-resource paths: discovery for every role, nothing else', () => {
    const path = (p: string, verb = 'get') => ({ nonResourceAttributes: { path: p, verb } });
    expect(reviewAccess(view, path('/apis')).allowed).toBe(true);
    expect(reviewAccess(view, path('/version')).allowed).toBe(true);
    expect(reviewAccess(view, path('/logs')).allowed).toBe(false);
    expect(reviewAccess(view, path('/apis', 'post')).allowed).toBe(false);
    expect(reviewAccess(nobody, path('/apis')).allowed).toBe(false);
  });

  it('bad specs are 422 naming the field', () => {
    const bad = (spec: unknown) => {
      try {
        reviewAccess(view, spec);
      } catch (e) {
        return e as { code: number; message: string; details: { causes: { field: string }[] } };
      }
      throw new Error('accepted');
    };
    expect(bad(undefined).code).toBe(422);
    expect(bad({}).message).toMatch(/spec: exactly one of resourceAttributes and nonResourceAttributes/);
    expect(bad({ resourceAttributes: { resource: 'nodes' } }).details.causes[0]!.field).toBe(
      'spec.resourceAttributes.verb',
    );
    expect(bad(units('GET')).message).toMatch(/spec\.resourceAttributes\.verb: "GET" is not a valid value/);
    expect(bad({ resourceAttributes: { verb: 'get', resource: 'x'.repeat(300) } }).message).toMatch(
      /resource: must be at most 253 characters/,
    );
    expect(bad({ resourceAttributes: { verb: 'get', resource: 'nodes', name: 7 } }).message).toMatch(
      /name: must be a string/,
    );
  });

  it('the resource answers a SelfSubjectAccessReview with status.allowed and the spec echoed', async () => {
    const ctx = { identity: view } as RequestContext;
    const body = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { name: '' },
      spec: units('create'),
    };
    const out = (await selfSubjectAccessReviewsResource.create!(ctx, body as KubeObject)) as any;
    expect(out).toMatchObject({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: units('create'),
      status: { allowed: false },
    });
    expect(out.status.reason).toMatch(/cannot create resource "nodeunits"/);
  });

  it('rules (kubectl auth can-i --list) follow the role', () => {
    expect(rulesOf(admin).resourceRules).toEqual([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    expect(rulesOf(view).resourceRules[0]).toMatchObject({ verbs: ['get', 'list', 'watch'] });
    expect(rulesOf(nobody).resourceRules.map((r) => r.resources)).toEqual([
      ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    ]);
    expect(rulesOf(node).incomplete).toBe(true);
  });

  it("kubectl's protobuf body (k8s\\0 + runtime.Unknown) decodes to the review's JSON shape; other kinds are 415", () => {
    // protobuf length-delimited field n
    const f = (n: number, body: Buffer | string) => {
      const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return Buffer.concat([Buffer.from([(n << 3) | 2, b.length]), b]);
    };
    const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
      Buffer.concat([
        Buffer.from('k8s\0', 'latin1'),
        f(1, Buffer.concat([f(1, apiVersion), f(2, kind)])),
        f(2, raw),
        f(4, 'application/vnd.kubernetes.protobuf'),
      ]);
    const attrs = Buffer.concat([
      f(2, 'create'),
      f(3, 'site.superedge.io'),
      f(5, 'nodeunits'),
      f(7, 'beijing'),
    ]);
    const ssar = envelope(
      'authorization.k8s.io/v1',
      'SelfSubjectAccessReview',
      Buffer.concat([f(1, Buffer.alloc(0)), f(2, f(1, attrs))]),
    );
    const decoded = decodeProtobufBody(ssar);
    expect(decoded).toMatchObject({
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          verb: 'create',
          group: 'site.superedge.io',
          resource: 'nodeunits',
          name: 'beijing',
        },
      },
    });
    expect(reviewAccess(view, decoded.spec).allowed).toBe(false);
    const nonResource = envelope(
      'authorization.k8s.io/v1',
      'SelfSubjectAccessReview',
      f(2, f(2, Buffer.concat([f(1, '/apis'), f(2, 'get')]))),
    );
    expect(decodeProtobufBody(nonResource).spec).toEqual({
      nonResourceAttributes: { path: '/apis', verb: 'get' },
    });
    const rules = envelope('authorization.k8s.io/v1', 'SelfSubjectRulesReview', f(2, f(1, 'default')));
    expect(decodeProtobufBody(rules).spec).toEqual({ namespace: 'default' });
    expect(() => decodeProtobufBody(envelope('v1', 'Node', Buffer.alloc(0)))).toThrow(/reviews only/);
    expect(() => decodeProtobufBody(Buffer.from('{"kind":"x"}'))).toThrow(/no k8s protobuf envelope/);
    const cut = ssar.subarray(0, ssar.length - 3);
    expect(() => decodeProtobufBody(cut)).toThrow(/could not be decoded|reviews only/);
  });
});
