import { X509Certificate } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createPlatformCa, issueCredentials, loadPackage, serviceNamesOf, subjectOf } from '@edgeplane/proto';
import { holdsRole, type AccessTable, type Caller } from '@edgeplane/service-kit';
import { CLUSTER_ACCESS } from '../services/cluster/src/access.js';
import { GRID_ACCESS } from '../services/grid/src/access.js';
import { HEALTH_ACCESS } from '../services/health-arbiter/src/access.js';
import { nodepoolAccess } from '../services/nodepool/src/read-model/access.js';
import { TUNNEL_ACCESS } from '../services/tunnel/src/access.js';
import { EVENTS_ACCESS } from '../services/events/src/access.js';
import { clusterService } from '../services/cluster/src/service.js';
import { gridService } from '../services/grid/src/service.js';
import { healthArbiterService } from '../services/health-arbiter/src/service.js';
import { nodepoolService } from '../services/nodepool/src/service.js';
import { tunnelService } from '../services/tunnel/src/service.js';
import { eventsService } from '../services/events/src/service.js';
import { createPrivateKey } from 'node:crypto';

// a query builder that is never run (the table only closes over it)
const db = new Kysely<never>({ dialect: new PostgresDialect({ pool: {} as never }) });

/** Every method a service serves through Nest (its grpcPackages), as `package.Service/Method`. */
function methodsOf(def: { protoFiles: string[]; grpcPackages: string[] }): string[] {
  const { packageDefinition } = loadPackage(def.protoFiles);
  return (
    serviceNamesOf(packageDefinition)
      .filter((s) => def.grpcPackages.some((p) => s.startsWith(`${p}.`)))
      // the agents' tunnel and the replicas' forwarding are served on the gateway's own ports
      // (node certificates, docs/tunnel.md), not through Nest on the service's port
      .filter(
        (s) => s !== 'edgeplane.tunnel.v1.TunnelService' && s !== 'edgeplane.tunnel.v1.TunnelPeerService',
      )
      .flatMap((s) => Object.keys(packageDefinition[s] as object).map((m) => `${s}/${m}`))
  );
}

describe('access tables (issue 12): every method of every service declares its role', () => {
  const cases: [string, { protoFiles: string[]; grpcPackages: string[] }, AccessTable][] = [
    ['cluster', clusterService, CLUSTER_ACCESS],
    ['nodepool', nodepoolService, nodepoolAccess({ db: db as never, schema: 'x' })],
    ['grid', gridService, GRID_ACCESS],
    ['health-arbiter', healthArbiterService, HEALTH_ACCESS],
    ['tunnel', tunnelService, TUNNEL_ACCESS],
    ['events', eventsService, EVENTS_ACCESS],
  ];
  for (const [name, def, table] of cases) {
    it(`${name}: the table names exactly the served methods`, () => {
      const served = methodsOf(def).sort();
      expect(served.length).toBeGreaterThan(0);
      expect(Object.keys(table).sort()).toEqual(served);
    });
  }
  it('the roles the design names: secret-bearing and credential calls are cluster-admin only', () => {
    expect(CLUSTER_ACCESS['edgeplane.cluster.v1.ClusterService/GetKubeconfig']).toBe('cluster-admin');
    expect(CLUSTER_ACCESS['edgeplane.cluster.v1.ClusterService/RotateKubeconfig']).toBe('cluster-admin');
    expect(CLUSTER_ACCESS['edgeplane.cluster.v1.ClusterService/ReportUsage']).toBe('node');
    expect(CLUSTER_ACCESS['edgeplane.cluster.v1.NodeService/LabelNode']).toBe('edit');
  });
});

describe('roles by group', () => {
  const user = (groups: string[]): Caller => ({ kind: 'user', name: 'u', groups, clusters: [] });
  it('cluster-admin ⊃ edit ⊃ view ⊃ subscriber; services all but node; nodes only node', () => {
    const table: [Caller, Record<string, boolean>][] = [
      [
        user(['system:masters']),
        { 'cluster-admin': true, edit: true, view: true, subscriber: true, service: true, node: true },
      ],
      [
        user(['edgeplane:edit']),
        { 'cluster-admin': false, edit: true, view: true, subscriber: true, service: false, node: false },
      ],
      [
        user(['edgeplane:view']),
        { 'cluster-admin': false, edit: false, view: true, subscriber: true, service: false, node: false },
      ],
      [
        user(['edgeplane:subscribers']),
        { 'cluster-admin': false, edit: false, view: false, subscriber: true, service: false, node: false },
      ],
      [
        user(['staff']),
        { 'cluster-admin': false, edit: false, view: false, subscriber: false, service: false, node: false },
      ],
      [
        { kind: 'service', name: 'kube-api', groups: ['edgeplane:services'], clusters: [] },
        { 'cluster-admin': true, edit: true, view: true, subscriber: true, service: true, node: false },
      ],
      [
        { kind: 'node', name: 'n1', groups: ['system:nodes'], clusters: ['c'] },
        { 'cluster-admin': false, edit: false, view: false, subscriber: false, service: false, node: true },
      ],
    ];
    for (const [caller, expected] of table) {
      for (const [role, want] of Object.entries(expected))
        expect(holdsRole(caller, role as never), `${caller.kind} ${caller.groups.join(',')} → ${role}`).toBe(
          want,
        );
    }
  });
  it('a credential file carries user, groups and cluster scope in its certificate (platform CA signed)', () => {
    const ca = createPlatformCa();
    const creds = issueCredentials(
      { dir: '', certPem: ca.certPem, key: createPrivateKey(ca.keyPem) },
      { user: 'alice', groups: ['edgeplane:edit', 'edgeplane:view'], clusters: ['cls-0123456789'] },
    );
    const cert = new X509Certificate(creds.certificate);
    expect(subjectOf(cert)).toEqual({
      CN: 'alice',
      O: ['edgeplane:edit', 'edgeplane:view'],
      OU: ['cluster:cls-0123456789'],
    });
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(new X509Certificate(ca.certPem).ca).toBe(true);
  });
});
