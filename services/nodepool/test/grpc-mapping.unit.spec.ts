import { describe, expect, it } from 'vitest';
import { fold } from '@edgeplane/es-kit';
import { pageInMemory, pageRequest } from '@edgeplane/service-kit';
import { groupSpecInput, GroupSpecMessage } from '../src/node-group/node-group.grpc.mapping.js';
import { kinsMessage, unitSpecInput, UnitSpecMessage } from '../src/node-unit/node-unit.grpc.mapping.js';
import {
  nodeUnitDecider,
  type ActiveUnitState,
  type NodeUnitEvent,
} from '../src/node-unit/node-unit.decider.js';
import { CLUSTER, NOW } from './fixtures.js';

describe('proto ↔ domain mapping', () => {
  it('a proto unit spec with proto3 defaults becomes a spec input without empty selector/type', () => {
    const input = unitSpecInput(
      UnitSpecMessage.parse({ type: '', nodes: ['a'], selector: null, setNode: null, labels: {} }),
    );
    expect(input).toEqual({ nodes: ['a'], labels: {} });
    const withAll = unitSpecInput(
      UnitSpecMessage.parse({
        type: 'cloud',
        selector: { matchLabels: { site: 'hz' } },
        setNode: { labels: { z: 'e' }, taints: [{ key: 'k', effect: 'NoSchedule' }] },
      }),
    );
    expect(withAll).toEqual({
      type: 'cloud',
      nodes: [],
      selector: { matchLabels: { site: 'hz' }, matchExpressions: [] },
      setNode: {
        labels: { z: 'e' },
        annotations: {},
        taints: [{ key: 'k', value: '', effect: 'NoSchedule' }],
      },
      labels: {},
    });
    expect(unitSpecInput(null)).toEqual({});
  });

  it('a proto group spec keeps units, selector and autoFindNodeKeys', () => {
    expect(groupSpecInput(GroupSpecMessage.parse({ nodeUnits: ['a'], autoFindNodeKeys: ['site'] }))).toEqual({
      nodeUnits: ['a'],
      autoFindNodeKeys: ['site'],
    });
  });

  it('pages by name with an opaque next token only when more remain, bound to the filters', () => {
    const items = ['c', 'a', 'b'].map((name) => ({ name }));
    const filters = { list: 'units', cluster: 'x' };
    const first = pageInMemory(items, pageRequest({ pageSize: 2 }, filters), (i) => [i.name]);
    expect(first.items).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(first.nextPageToken).not.toBe('');
    const second = pageInMemory(
      items,
      pageRequest({ pageSize: 2, pageToken: first.nextPageToken }, filters),
      (i) => [i.name],
    );
    expect(second).toEqual({ items: [{ name: 'c' }], nextPageToken: '' });
    expect(() => pageRequest({ pageToken: first.nextPageToken }, { ...filters, cluster: 'y' })).toThrow(
      /other filters/,
    );
    expect(() => pageRequest({ pageToken: 'b' }, filters)).toThrow(/pageToken/);
    expect(() => pageRequest({ pageSize: 1001 }, filters)).toThrow(/at most 1000/);
    expect(() => pageRequest({ pageSize: -1 }, filters)).toThrow(/pageSize/);
    expect(pageRequest({ pageSize: 0 }, filters).limit).toBe(100);
  });

  it('the Kins message shows whether public access is on but never the password hash', () => {
    const hash = `$2a$10$${'a'.repeat(53)}`;
    const events: NodeUnitEvent[] = [
      {
        type: 'NodeUnitCreated',
        data: {
          clusterId: CLUSTER,
          name: 'u',
          type: 'edge',
          nodes: ['n1'],
          allNodes: false,
          default: false,
          at: NOW,
          setNode: { labels: {}, annotations: {}, taints: [] },
          labels: {},
        },
      },
      {
        type: 'NodeUnitMembersChanged',
        data: { clusterId: CLUSTER, name: 'u', members: ['n1'], added: ['n1'], removed: [], at: NOW },
      },
      {
        type: 'KinsPromotionRequested',
        data: {
          clusterId: CLUSTER,
          unit: 'u',
          generation: 1,
          mode: 'single',
          kubernetesVersion: '1.22.5',
          nodes: [{ name: 'n1', role: 'server' }],
          serviceCidr: '26.0.0.0/16',
          clusterDns: '26.0.0.10',
          nodePortRange: { from: 40000, to: 40999 },
          kubeconfigs: { internal: 'i', public: 'p' },
          at: NOW,
        },
      },
      {
        type: 'KinsPublicAccessEnabled',
        data: { clusterId: CLUSTER, unit: 'u', generation: 1, passwordHash: hash, at: NOW },
      },
    ];
    const state = fold(nodeUnitDecider, events) as ActiveUnitState;
    const message = kinsMessage(state);
    expect(message).toMatchObject({
      phase: 'promoting',
      publicAccess: true,
      publicKubeconfigRef: 'p',
      internalKubeconfigRef: 'i',
    });
    expect(JSON.stringify(message)).not.toContain(hash);
  });
});
