import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '@edgeplane/eventstore';
import { createNodeCsr } from '@edgeplane/k8s';
import { HEALTH_PROTO, PROTO_ROOT, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService, type ServiceDefinition } from '@edgeplane/service-kit';
import { freePort, testGrpcCredentials, testServices, uniqueName } from '@edgeplane/testing';
import { clusterServiceDefinition } from '../services/cluster/src/index.js';
import { healthArbiterService } from '../services/health-arbiter/src/service.js';
import { nodepoolService } from '../services/nodepool/src/service.js';
import { tunnelService } from '../services/tunnel/src/service.js';
import { gridService } from '../services/grid/src/service.js';

/**
 * Fuzz over every gRPC method of the public API (issue 9): the cluster, nodepool, health-arbiter, grid
 * and tunnel services booted in-process on real PostgreSQL, JetStream and gRPC, in an
 * EDGEPLANE_ENV of their own; every method enumerated from the proto files; a bounded number of
 * generated hostile requests each (long strings, NUL, invalid UTF-8 bytes, lone surrogates,
 * prototype keys, huge repeated fields and maps, wrong wire types, undecodable bytes,
 * negative/huge numbers, unknown enum values, YAML bombs for Apply), encoded by hand so the bytes
 * are exactly the hostile ones. Asserted per call: never INTERNAL / UNKNOWN / DEADLINE_EXCEEDED /
 * a dropped connection, the error message short; and no refused call changed state: every call
 * carries a trace id of its own, and no event in any service's store carries a refused call's.
 *
 * Seeded (FUZZ_SEED, printed) so a failure can be replayed; FUZZ_CALLS sets calls per method.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const CALLS_PER_METHOD = Number(process.env.FUZZ_CALLS ?? 20);
const CALL_DEADLINE_MS = 20_000;
const MAX_MESSAGE = 1100;

// ---------------------------------------------------------------- random source

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(SEED);
const int = (n: number) => Math.floor(rnd() * n);
const chance = (p: number) => rnd() < p;
function pick<T>(items: readonly T[]): T {
  return items[int(items.length)] as T;
}

/** A string field's value: text, or raw bytes (for bytes that are not UTF-8). */
type Str = string | { raw: Uint8Array };
type Value = Str | number | string | boolean | null | Value[] | Msg | MapEntries;
interface Msg {
  kind: 'msg';
  fields: [protobuf.Field, Value][];
}
interface MapEntries {
  kind: 'map';
  entries: [Str, Value][];
}

const seeds = { clusterName: '', clusterId: '' };

function hostileString(): Str {
  switch (int(30)) {
    case 0:
      return '';
    case 1:
      return 'a\0b';
    case 2:
      return { raw: Uint8Array.from([0x61, 0xff, 0xfe, 0x62]) }; // invalid UTF-8
    case 3:
      return { raw: Uint8Array.from([0xed, 0xa0, 0x80]) }; // an encoded lone surrogate
    case 4:
      return 'x'.repeat(5000);
    case 5:
      return 'y'.repeat(70_000);
    case 6:
      return pick(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']);
    case 7:
      return '😀'.repeat(40);
    case 8:
      return "'; DROP TABLE events; --";
    case 9:
      return pick(['../../etc/passwd', '%s%n%x', '${jndi:ldap://x}', '\r\nX-Injected: 1']);
    case 10:
      return 'a'.repeat(pick([63, 64, 253, 254]));
    case 11:
      return pick(['10.0.0.0/8', '::1', '0.0.0.0/0', '256.1.1.1/33', 'fe80::/10']);
    case 12:
      return pick(['1.22.5', 'containerd', 'docker', 'ap-guangzhou', 'NoSchedule', 'edge', 'In']);
    case 13:
      return pick(['env=prod,constructor', '!constructor', 'toString', 'k in (a)', '=', ',,,']);
    case 14:
    case 15:
    case 16:
      return seeds.clusterName || 'fuzz';
    case 17:
      return seeds.clusterId || 'c-1';
    case 18:
      return `\uFEFF${'\u202e'.repeat(3)}name`;
    case 19:
      return ' gz-1 ';
    default: {
      const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-._/=:!,ABCDEZ ';
      return Array.from({ length: 1 + int(40) }, () => alphabet[int(alphabet.length)]).join('');
    }
  }
}

const VALID_UNIT_YAML =
  'apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata:\n  name: fz-unit\nspec:\n  type: edge\n  nodes: [gz-1]\n  setNode:\n    labels:\n      constructor: x\n';

/** A plausible value for a string field, by its name, so requests also reach past the first check. */
function benignString(field: string, typeName = ''): string {
  if (typeName === 'ClusterRef') return field === 'id' ? seeds.clusterId : seeds.clusterName;
  switch (field) {
    case 'cluster':
    case 'cluster_id':
      return chance(0.7) ? seeds.clusterName : seeds.clusterId;
    case 'id':
      return seeds.clusterId;
    case 'name':
    case 'unit':
    case 'node':
    case 'node_name':
    case 'target_node':
      return pick(['gz-1', 'bj-2', 'fz-unit', 'constructor', 'toString', 'g1', seeds.clusterName]);
    case 'kubernetes_version':
      return '1.22.5';
    case 'runtime':
      return 'containerd';
    case 'region':
      return 'ap-guangzhou';
    case 'vpc_cidr':
      return '10.1.0.0/16';
    case 'pod_cidr':
      return '172.20.0.0/16';
    case 'service_cidr':
      return '172.21.0.0/20';
    case 'effect':
      return pick(['NoSchedule', 'NoExecute', '']);
    case 'key':
      return pick(['zone', 'constructor', '__proto__', 'example.com/x']);
    case 'value':
      return pick(['a', '', 'constructor']);
    case 'mode':
      return pick(['single', 'ha']);
    case 'phase':
      return pick(['running', 'failed', 'uninstalled']);
    case 'type':
      return pick(['edge', 'cloud']);
    case 'operator':
      return pick(['In', 'NotIn', 'Exists', 'DoesNotExist']);
    case 'label_selector':
      return pick(['constructor', '!constructor', 'zone=a', 'toString!=x', '']);
    case 'yaml':
      return VALID_UNIT_YAML;
    case 'token':
      return 'abcdef.0123456789abcdef';
    case 'tier':
      return pick(['', 'small', 'L5']);
    case 'page_token':
      return pick(['', 'eyJzIjoieCIsImsiOlsiYSJdfQ', 'not-a-token']);
    default:
      return pick(['a', 'maintenance', '']);
  }
}

function hostileNumber(type: string): number | string {
  switch (type) {
    case 'uint32':
    case 'fixed32':
      return pick([0, 1, 3, 60, 4294967295, 2147483648]);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return pick(['0', '-1', '9223372036854775807', '-9223372036854775808', '86400']);
    case 'uint64':
    case 'fixed64':
      return pick(['0', '18446744073709551615', '1']);
    case 'double':
    case 'float':
      return pick([0, -1, 1e308, Number.NaN, Number.POSITIVE_INFINITY]);
    default:
      return pick([0, 1, -1, 3, 60, 1000, 1001, 86401, 2147483647, -2147483648]);
  }
}

const YAML_BOMBS = [
  (() => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    return `apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata:\n  name: bomb\n${lines.join('\n')}\n`;
  })(),
  '['.repeat(5000),
  `# ${'x'.repeat(300 * 1024)}`,
  Array.from({ length: 300 }, () => 'kind: NodeUnit').join('\n---\n'),
  'apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata:\n  name: u1\n  __proto__: {polluted: true}\nspec:\n  type: edge\n  setNode:\n    labels:\n      constructor: x\n',
  'apiVersion: site.superedge.io/v1alpha2\nkind: NodeGroup\nmetadata: {name: "g\\0"}\nspec: {autoFindNodeKeys: [constructor]}\n',
  `apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: u2}\nspec:\n  setNode:\n    annotations:\n      a: "${'v'.repeat(200_000)}"\n`,
  '!!js/function "function(){}"',
  '&a [*a]',
  'a: !!binary AAAA\nb: *unknown',
];

function genValue(field: protobuf.Field, depth: number, method: string, p: number): Value {
  if (field.map) {
    const count = chance(0.04) ? 1100 : int(4);
    const entries: [Str, Value][] = [];
    for (let i = 0; i < count; i++) {
      const key = count > 100 ? `k${i}` : chance(p) ? hostileString() : benignString('key');
      entries.push([key, genScalar(field, depth, method, true, p)]);
    }
    return { kind: 'map', entries };
  }
  if (field.repeated) {
    const count = chance(p / 5) ? 1200 : chance(0.2) ? 3 + int(4) : int(3);
    return Array.from({ length: count }, () =>
      count > 100 && field.type === 'string' ? 'a' : genScalar(field, depth, method, false, p),
    );
  }
  return genScalar(field, depth, method, false, p);
}

function genScalar(
  field: protobuf.Field,
  depth: number,
  method: string,
  mapValue: boolean,
  p: number,
): Value {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    if (depth > 3 || chance(0.1)) return null;
    return genMessage(resolved, depth + 1, method, p);
  }
  const hostile = chance(p);
  if (resolved instanceof protobuf.Enum) {
    return !hostile ? pick(Object.values(resolved.values)) : pick([-1, 999, 2147483647]);
  }
  switch (field.type) {
    case 'string':
      if (!mapValue && field.name === 'yaml' && hostile) return pick(YAML_BOMBS);
      return hostile ? hostileString() : benignString(mapValue ? 'value' : field.name, field.parent?.name);
    case 'bytes':
      return { raw: randomBytes(int(64)) };
    case 'bool':
      return chance(0.5);
    default:
      return hostile ? hostileNumber(field.type) : pick([0, 1, 3, 60, 100]);
  }
}

function genMessage(type: protobuf.Type, depth: number, method: string, p: number): Msg {
  const fields: [protobuf.Field, Value][] = [];
  const oneofMembers = new Set(type.oneofsArray.flatMap((o) => o.fieldsArray.map((f) => f.name)));
  for (const oneof of type.oneofsArray) {
    if (chance(0.8)) {
      const f = pick(oneof.fieldsArray);
      fields.push([f, genValue(f, depth, method, p)]);
    }
  }
  for (const f of type.fieldsArray) {
    if (oneofMembers.has(f.name)) continue;
    if (chance(0.85)) fields.push([f, genValue(f, depth, method, p)]);
  }
  return { kind: 'msg', fields };
}

// ---------------------------------------------------------------- hand encoder

const WIRE = { varint: 0, fixed64: 1, ldelim: 2, fixed32: 5 } as const;

function strBytes(s: Str): Uint8Array {
  return typeof s === 'string' ? Buffer.from(s, 'utf8') : s.raw;
}

function writeScalar(w: protobuf.Writer, id: number, field: protobuf.Field, type: string, v: Value): void {
  const resolved = type === field.type ? field.resolvedType : null;
  if (v === null) return;
  if (resolved instanceof protobuf.Type) {
    w.uint32((id << 3) | WIRE.ldelim).bytes(encodeMsg(v as Msg));
    return;
  }
  if (resolved instanceof protobuf.Enum) {
    w.uint32((id << 3) | WIRE.varint).int32(v as number);
    return;
  }
  switch (type) {
    case 'string':
    case 'bytes':
      w.uint32((id << 3) | WIRE.ldelim).bytes(strBytes(v as Str));
      return;
    case 'bool':
      w.uint32((id << 3) | WIRE.varint).bool(v as boolean);
      return;
    case 'double':
      w.uint32((id << 3) | WIRE.fixed64).double(v as number);
      return;
    case 'float':
      w.uint32((id << 3) | WIRE.fixed32).float(v as number);
      return;
    case 'uint32':
      w.uint32((id << 3) | WIRE.varint).uint32(v as number);
      return;
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      w.uint32((id << 3) | WIRE.varint).int64(String(v));
      return;
    default:
      w.uint32((id << 3) | WIRE.varint).int32(v as number);
  }
}

function encodeMsg(m: Msg): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [field, value] of m.fields) {
    if (field.map && value && (value as MapEntries).kind === 'map') {
      const mapField = field as unknown as protobuf.MapField;
      for (const [k, v] of (value as MapEntries).entries) {
        const entry = protobuf.Writer.create();
        entry.uint32((1 << 3) | WIRE.ldelim).bytes(strBytes(k));
        writeScalar(entry, 2, field, mapField.type, v);
        w.uint32((field.id << 3) | WIRE.ldelim).bytes(entry.finish());
      }
    } else if (Array.isArray(value)) {
      for (const item of value) writeScalar(w, field.id, field, field.type, item);
    } else {
      writeScalar(w, field.id, field, field.type, value);
    }
  }
  // sometimes a field number the type does not have, or one of its numbers with the wrong wire type
  if (chance(0.02)) w.uint32((999 << 3) | WIRE.varint).uint32(7);
  if (chance(0.02) && m.fields[0]) w.uint32((m.fields[0][0].id << 3) | WIRE.fixed32).fixed32(1);
  return w.finish();
}

function hostileRequest(type: protobuf.Type, method: string): Uint8Array {
  const roll = rnd();
  if (roll < 0.05) return randomBytes(1 + int(200)); // undecodable
  if (roll < 0.08) return Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]); // length past the end
  if (roll < 0.1) {
    // over the request bound (the server's 4 MiB receive limit is not reached)
    const first = type.fieldsArray.find((f) => f.type === 'string' && !f.repeated && !f.map);
    if (first) return encodeMsg({ kind: 'msg', fields: [[first, 'z'.repeat(700 * 1024)]] });
  }
  // mostly plausible requests with a little hostility, so calls reach past the first check;
  // some wholly hostile; some wholly plausible (those may be accepted, and may change state)
  const p = pick([0, 0.05, 0.05, 0.15, 0.15, 0.5]);
  return encodeMsg(genMessage(type, 0, method, p));
}

// ---------------------------------------------------------------- the stack

interface Tally {
  calls: number;
  byStatus: Record<string, number>;
  failures: string[];
  refusedTraces: Map<string, string>;
  acceptedTraces: Set<string>;
}

function traceparent(): { header: string; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  return { header: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, traceId };
}

describe('fuzz: every gRPC method refuses hostile input cleanly and changes nothing', () => {
  // the int project's setup gives this file an environment of its own (and deletes it after);
  // run some other way, the file makes one
  const ownEnv = !process.env.EDGEPLANE_ENV;
  const env =
    process.env.EDGEPLANE_ENV || `fz${Date.now().toString(36).slice(-6)}${randomBytes(2).toString('hex')}`;
  const services: { name: string; svc: RunningService<never> }[] = [];
  const tally: Tally = {
    calls: 0,
    byStatus: {},
    failures: [],
    refusedTraces: new Map(),
    acceptedTraces: new Set(),
  };
  const perMethod = new Map<string, Record<string, number>>();
  let root: protobuf.Root;
  const clients = new Map<string, grpc.Client>();

  beforeAll(async () => {
    if (ownEnv) process.env.EDGEPLANE_ENV = env;
    const { databaseUrl, natsUrl } = await testServices();
    const base = async () => ({
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'fatal',
      CONSUMER_START: 'new',
      EDGEPLANE_ENV: env,
    });
    const boot = async (name: string, def: ServiceDefinition<never>, extra: Record<string, string> = {}) => {
      const schema = uniqueName(`fz_${name.replace(/-/g, '_')}`).slice(0, 40);
      const env = { ...(await base()), ...extra };
      let svc: RunningService<never> | undefined;
      for (let attempt = 1; !svc; attempt++) {
        try {
          svc = await bootstrapService({ ...def, schema }, env);
        } catch (error) {
          // kysely's migrator lists the tables of every schema; another test dropping its schema
          // at that moment fails it (shared-database cross-talk): try again
          if (attempt >= 4 || !/schema ".*" does not exist/.test(String(error))) throw error;
        }
      }
      services.push({ name, svc });
      return svc;
    };
    const cluster = await boot('cluster', clusterServiceDefinition() as ServiceDefinition<never>);
    await boot('nodepool', nodepoolService as ServiceDefinition<never>);
    await boot('health-arbiter', healthArbiterService as ServiceDefinition<never>, { HEALTH_TICK_MS: '500' });
    await boot('grid', gridService as ServiceDefinition<never>);
    await boot('tunnel', tunnelService as ServiceDefinition<never>, {
      TUNNEL_HOST: '127.0.0.1',
      TUNNEL_JOIN_PORT: String(await freePort()),
      TUNNEL_PORT: String(await freePort()),
      TUNNEL_PEER_PORT: String(await freePort()),
      TUNNEL_REPLICA_ID: `fuzz-${env}`,
      TUNNEL_CLUSTER_ADDR: cluster.grpcAddress,
    });

    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => path.join(PROTO_ROOT, target);
    root.loadSync(
      [
        HEALTH_PROTO,
        ...['cluster', 'nodepool', 'health-arbiter', 'grid', 'tunnel'].flatMap((s) => protoFilesOf(s)),
      ],
      { keepCase: true },
    );
    root.resolveAll();
    for (const { svc } of services) {
      clients.set(svc.grpcAddress, new grpc.Client(svc.grpcAddress, testGrpcCredentials()));
    }

    // something real to aim at: one valid cluster, so references reach past "not found"
    const create = root.lookupType('edgeplane.cluster.v1.CreateClusterRequest');
    const name = `fz-${randomBytes(3).toString('hex')}`;
    const bytes = create
      .encode(
        create.fromObject({
          name,
          kubernetes_version: '1.22.5',
          runtime: 'containerd',
          region: 'ap-guangzhou',
          vpc_cidr: '10.0.0.0/16',
          pod_cidr: '172.16.0.0/16',
          service_cidr: '172.17.0.0/20',
        }),
      )
      .finish();
    const reply = await unary(
      cluster.grpcAddress,
      '/edgeplane.cluster.v1.ClusterService/CreateCluster',
      bytes,
    );
    expect(reply.code, reply.details).toBe(grpc.status.OK);
    const created = root.lookupType('edgeplane.cluster.v1.Cluster').decode(reply.body!) as unknown as {
      id: string;
      name: string;
    };
    seeds.clusterName = created.name;
    seeds.clusterId = created.id;
    // and nodes in it (public access, a join token, two redemptions), so node methods reach nodes
    const call = async (svcPath: string, typeName: string, value: Record<string, unknown>) => {
      const t = root.lookupType(typeName);
      const r = await unary(cluster.grpcAddress, svcPath, t.encode(t.fromObject(value)).finish());
      expect(r.code, `${svcPath}: ${r.details}`).toBe(grpc.status.OK);
      return r.body!;
    };
    await call('/edgeplane.cluster.v1.ClusterService/SetAccess', 'edgeplane.cluster.v1.SetAccessRequest', {
      cluster: { id: created.id },
      public_access: true,
    });
    const token = root.lookupType('edgeplane.cluster.v1.CreateJoinTokenResponse').decode(
      await call(
        '/edgeplane.cluster.v1.JoinTokenService/CreateJoinToken',
        'edgeplane.cluster.v1.CreateJoinTokenRequest',
        {
          cluster: { id: created.id },
        },
      ),
    ) as unknown as { token_secret_text: string };
    for (const nodeName of ['gz-1', 'bj-2']) {
      const csr = await createNodeCsr(nodeName);
      await call(
        '/edgeplane.cluster.v1.JoinTokenService/RedeemJoinToken',
        'edgeplane.cluster.v1.RedeemJoinTokenRequest',
        {
          token: token.token_secret_text,
          node_name: nodeName,
          csr_pem: csr.csrPem,
          arch: 'x86_64',
          os: 'Linux',
          interface: 'eth0',
          ips: ['192.168.1.10'],
        },
      );
    }
    // nodepool and the health-arbiter learn of it from the bus
    const known = async (svc: string, methodPath: string, type: string) => {
      const t = root.lookupType(type);
      const body = t.encode(t.fromObject({ cluster: created.name })).finish();
      const address = services.find((s) => s.name === svc)!.svc.grpcAddress;
      for (let i = 0; i < 100; i++) {
        if ((await unary(address, methodPath, body)).code === grpc.status.OK) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${svc} never learned of cluster ${created.name}`);
    };
    await known(
      'nodepool',
      '/edgeplane.nodepool.v1.NodeUnitService/ListNodeUnits',
      'edgeplane.nodepool.v1.ListNodeUnitsRequest',
    );
    await known(
      'health-arbiter',
      '/edgeplane.health.v1.HealthService/GetConfig',
      'edgeplane.health.v1.GetConfigRequest',
    );
  }, 180_000);

  afterAll(async () => {
    for (const c of clients.values()) c.close();
    for (const { svc } of services.reverse()) await svc.stop().catch(() => undefined);
    const { databaseUrl } = await testServices();
    const db = createDatabase({ url: databaseUrl, max: 1 });
    for (const { svc } of services)
      await sql`DROP SCHEMA IF EXISTS ${sql.id(svc.store.schema)} CASCADE`.execute(db).catch(() => undefined);
    await db.destroy();
    if (ownEnv) delete process.env.EDGEPLANE_ENV;
  }, 120_000);

  function unary(
    address: string,
    methodPath: string,
    body: Uint8Array,
    traceHeader?: string,
  ): Promise<{ code: number; details: string; body?: Buffer; detailsBin: number }> {
    const client = clients.get(address)!;
    const md = new grpc.Metadata();
    if (traceHeader) md.set('traceparent', traceHeader);
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        methodPath,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(body),
        md,
        { deadline: Date.now() + CALL_DEADLINE_MS },
        (err, res) => {
          if (err) {
            const bin = err.metadata?.get('grpc-status-details-bin')[0];
            resolve({
              code: err.code,
              details: err.details ?? '',
              detailsBin: Buffer.isBuffer(bin) ? bin.length : 0,
            });
          } else resolve({ code: grpc.status.OK, details: '', body: res, detailsBin: 0 });
        },
      );
    });
  }

  /** The server a service of the API is served by (tunnel: only the operator's RemoteAccessService). */
  function addressOf(serviceName: string): string | undefined {
    const by = (n: string) => services.find((s) => s.name === n)?.svc.grpcAddress;
    if (serviceName.startsWith('edgeplane.cluster.')) return by('cluster');
    if (serviceName.startsWith('edgeplane.nodepool.')) return by('nodepool');
    if (serviceName.startsWith('edgeplane.health.')) return by('health-arbiter');
    if (serviceName.startsWith('edgeplane.grid.')) return by('grid');
    if (serviceName === 'edgeplane.tunnel.v1.RemoteAccessService') return by('tunnel');
    return undefined; // TunnelService/TunnelPeerService: the gateway's mTLS ports (agents, replicas)
  }

  function record(
    method: string,
    code: number,
    details: string,
    detailsBin: number,
    allowUnavailable = false,
  ) {
    const status = grpc.status[code] ?? String(code);
    tally.calls++;
    tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
    const m = perMethod.get(method) ?? {};
    m[status] = (m[status] ?? 0) + 1;
    perMethod.set(method, m);
    const bad =
      code === grpc.status.INTERNAL ||
      code === grpc.status.UNKNOWN ||
      code === grpc.status.DEADLINE_EXCEEDED ||
      (code === grpc.status.UNAVAILABLE && !allowUnavailable);
    if (bad) tally.failures.push(`${method}: ${status} ${details.slice(0, 200)}`);
    if (details.length > MAX_MESSAGE)
      tally.failures.push(`${method}: message of ${details.length} characters`);
    if (detailsBin > 16 * 1024) tally.failures.push(`${method}: status details of ${detailsBin} bytes`);
  }

  it("the issue's cases: bounded names, NUL, prototype keys, paged lists with checked tokens", async () => {
    const at = (name: string) => services.find((x) => x.name === name)!.svc.grpcAddress;
    const send = async (
      svc: string,
      methodPath: string,
      typeName: string,
      value: Record<string, unknown>,
    ) => {
      const t = root.lookupType(typeName);
      return unary(at(svc), methodPath, t.encode(t.fromObject(value)).finish());
    };
    const decode = <T>(typeName: string, body: Buffer) =>
      root.lookupType(typeName).decode(body) as unknown as T;

    // a 200k-character cluster name: INVALID_ARGUMENT naming the field, a short message, at once
    const started = Date.now();
    const long = await send(
      'cluster',
      '/edgeplane.cluster.v1.ClusterService/CreateCluster',
      'edgeplane.cluster.v1.CreateClusterRequest',
      {
        name: 'n'.repeat(200_000),
        kubernetes_version: '1.22.5',
        runtime: 'containerd',
        region: 'ap-guangzhou',
        vpc_cidr: '10.9.0.0/16',
        pod_cidr: '172.30.0.0/16',
        service_cidr: '172.31.0.0/20',
      },
    );
    expect(long.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(long.details).toMatch(/^name: /);
    expect(long.details.length).toBeLessThan(200);
    expect(Date.now() - started).toBeLessThan(5000);
    // a NUL in a node name: INVALID_ARGUMENT naming the field, not INTERNAL from PostgreSQL
    const nul = await send(
      'cluster',
      '/edgeplane.cluster.v1.NodeService/GetNode',
      'edgeplane.cluster.v1.GetNodeRequest',
      {
        node: { cluster: { name: seeds.clusterName }, name: 'gz\u00001' },
      },
    );
    expect(nul.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(nul.details).toMatch(/^node\.name: .*NUL/);

    type Nodes = { nodes: { name: string }[]; next_page_token: string };
    const listNodes = async (extra: Record<string, unknown>) =>
      send(
        'cluster',
        '/edgeplane.cluster.v1.NodeService/ListNodes',
        'edgeplane.cluster.v1.ListNodesRequest',
        {
          cluster: { name: seeds.clusterName },
          ...extra,
        },
      );
    // the selector key `constructor` matches no node (it matched every node before)
    const ctor = await listNodes({ label_selector: 'constructor' });
    expect(ctor.code).toBe(grpc.status.OK);
    expect(decode<Nodes>('edgeplane.cluster.v1.ListNodesResponse', ctor.body!).nodes ?? []).toEqual([]);
    // page_size is honoured; the token leads to the rest, and to nothing else
    const first = decode<Nodes>(
      'edgeplane.cluster.v1.ListNodesResponse',
      (await listNodes({ page_size: 1 })).body!,
    );
    expect(first.nodes.map((n) => n.name)).toEqual(['bj-2']);
    expect(first.next_page_token).not.toBe('');
    const second = decode<Nodes>(
      'edgeplane.cluster.v1.ListNodesResponse',
      (await listNodes({ page_size: 1, page_token: first.next_page_token })).body!,
    );
    expect(second.nodes.map((n) => n.name)).toEqual(['gz-1']);
    expect(second.next_page_token ?? '').toBe('');
    for (const bad of [
      { page_token: 'garbage' },
      { page_token: first.next_page_token, label_selector: 'zone=a' },
      { page_size: 1001 },
      { page_size: -5 },
    ]) {
      const r = await listNodes(bad);
      expect(r.code, JSON.stringify(bad)).toBe(grpc.status.INVALID_ARGUMENT);
      expect(r.details).toMatch(/^page(Token|Size): /);
    }
    // the other lists page the same way
    const clusters = await send(
      'cluster',
      '/edgeplane.cluster.v1.ClusterService/ListClusters',
      'edgeplane.cluster.v1.ListClustersRequest',
      {
        page_size: 1,
      },
    );
    expect(
      decode<{ clusters: unknown[] }>('edgeplane.cluster.v1.ListClustersResponse', clusters.body!).clusters,
    ).toHaveLength(1);
    const memberships = await send(
      'nodepool',
      '/edgeplane.nodepool.v1.NodeMembershipService/ListNodeMemberships',
      'edgeplane.nodepool.v1.ListNodeMembershipsRequest',
      { cluster: seeds.clusterName, page_token: 'eyJzIjoieCJ9' },
    );
    expect(memberships.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('unary methods of every service', async () => {
    const methods: { service: string; method: protobuf.Method; address: string }[] = [];
    const skipped: string[] = [];
    const walk = (ns: protobuf.NamespaceBase) => {
      for (const nested of ns.nestedArray) {
        if (nested instanceof protobuf.Service) {
          const full = nested.fullName.replace(/^\./, '');
          for (const method of nested.methodsArray) {
            const address = full === 'grpc.health.v1.Health' ? 'all' : addressOf(full);
            if (!address) skipped.push(`${full}/${method.name}`);
            else if (method.requestStream || method.responseStream)
              continue; // streaming: next test
            else if (address === 'all') {
              for (const s of services) methods.push({ service: full, method, address: s.svc.grpcAddress });
            } else methods.push({ service: full, method, address });
          }
        } else if (nested instanceof protobuf.Namespace) walk(nested);
      }
    };
    walk(root);
    expect(methods.length).toBeGreaterThan(40);
    // destructive methods last, so the seed cluster lives while the others are fuzzed
    const destructive = (m: string) => /^(Delete|Remove|Revoke|Rotate)/.test(m);
    methods.sort((a, b) => Number(destructive(a.method.name)) - Number(destructive(b.method.name)));

    for (const { service, method, address } of methods) {
      const type = method.resolvedRequestType!;
      for (let i = 0; i < CALLS_PER_METHOD; i++) {
        const { header, traceId } = traceparent();
        const body = hostileRequest(type, method.name);
        const reply = await unary(address, `/${service}/${method.name}`, body, header);
        record(`${service.split('.').pop()}/${method.name}`, reply.code, reply.details, reply.detailsBin);
        if (reply.code === grpc.status.OK) tally.acceptedTraces.add(traceId);
        else tally.refusedTraces.set(traceId, `${method.name}: ${grpc.status[reply.code]}`);
      }
    }
    console.log(
      `fuzz seed ${SEED}: ${tally.calls} unary calls over ${methods.length} methods; by status ${JSON.stringify(tally.byStatus)}; ` +
        `not callable here (mTLS agent/replica ports): ${skipped.join(', ')}`,
    );
    console.log(
      [...perMethod]
        .map(
          ([m, s]) =>
            `  ${m}: ${Object.entries(s)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
        )
        .join('\n'),
    );
    expect(tally.failures).toEqual([]);
  }, 600_000);

  it('streaming methods: Relay with hostile metadata, Health.Watch with hostile names', async () => {
    tally.failures.length = 0; // the unary test reported its own
    const tunnel = services.find((s) => s.name === 'tunnel')!.svc.grpcAddress;
    const client = clients.get(tunnel)!;
    for (let i = 0; i < 20; i++) {
      const md = new grpc.Metadata();
      const value = (s: Str) => (typeof s === 'string' ? s : Buffer.from(s.raw).toString('latin1'));
      for (const key of ['x-edgeplane-cluster', 'x-edgeplane-node', 'x-edgeplane-target']) {
        if (chance(0.8)) {
          const v = value(hostileString())
            .replace(/[^\x20-\x7e]/g, '?')
            .slice(0, 6000);
          md.set(key, v);
        }
      }
      const { header, traceId } = traceparent();
      md.set('traceparent', header);
      const result = await new Promise<{ code: number; details: string }>((resolve) => {
        const call = client.makeBidiStreamRequest(
          '/edgeplane.tunnel.v1.RemoteAccessService/Relay',
          (b: Buffer) => b,
          (b: Buffer) => b,
          md,
          { deadline: Date.now() + CALL_DEADLINE_MS },
        );
        call.on('data', () => undefined);
        call.on('error', (err: grpc.ServiceError) => resolve({ code: err.code, details: err.details ?? '' }));
        call.on('status', (s: grpc.StatusObject) => resolve({ code: s.code, details: s.details }));
        call.write(Buffer.from([0x0a, 0x01, 0x61]));
        call.end();
      });
      // a relay to a node that is not connected may say so (UNAVAILABLE); never INTERNAL and co.
      record('RemoteAccessService/Relay', result.code, result.details, 0, true);
      if (result.code !== grpc.status.OK) tally.refusedTraces.set(traceId, 'Relay');
    }
    for (const { svc } of services) {
      const c = clients.get(svc.grpcAddress)!;
      for (let i = 0; i < 5; i++) {
        const req = root.lookupType('grpc.health.v1.HealthCheckRequest');
        const body = encodeMsg({ kind: 'msg', fields: [[req.fields.service!, hostileString()]] });
        const result = await new Promise<{ code: number; details: string }>((resolve) => {
          const call = c.makeServerStreamRequest(
            '/grpc.health.v1.Health/Watch',
            (b: Buffer) => b,
            (b: Buffer) => b,
            Buffer.from(body),
            new grpc.Metadata(),
            { deadline: Date.now() + CALL_DEADLINE_MS },
          );
          call.on('data', () => {
            call.cancel();
            resolve({ code: grpc.status.OK, details: '' });
          });
          call.on('error', (err: grpc.ServiceError) =>
            resolve({ code: err.code === grpc.status.CANCELLED ? 0 : err.code, details: err.details ?? '' }),
          );
        });
        record('Health/Watch', result.code, result.details, 0);
      }
    }
    console.log(`fuzz: ${tally.calls} calls in all; by status ${JSON.stringify(tally.byStatus)}`);
    expect(tally.failures).toEqual([]);
  }, 300_000);

  it('no refused call changed state: no event in any store carries its trace', async () => {
    // let the relays and consumers carry anything an accepted call set off
    await new Promise((r) => setTimeout(r, 3000));
    const { databaseUrl } = await testServices();
    const db = createDatabase({ url: databaseUrl, max: 1 });
    const found = new Map<string, number>();
    let total = 0;
    try {
      for (const { svc } of services) {
        const rows = await sql<{ trace: string; n: string }>`
          SELECT split_part(metadata->>'traceparent', '-', 2) AS trace, count(*) AS n
          FROM ${sql.id(svc.store.schema, 'events')}
          WHERE metadata ? 'traceparent'
          GROUP BY 1`.execute(db);
        for (const r of rows.rows) {
          found.set(r.trace, (found.get(r.trace) ?? 0) + Number(r.n));
          total += Number(r.n);
        }
      }
    } finally {
      await db.destroy();
    }
    const changedByRefused = [...tally.refusedTraces].filter(([trace]) => found.has(trace));
    const fromAccepted = [...tally.acceptedTraces].filter((t) => found.has(t)).length;
    console.log(
      `fuzz: ${tally.refusedTraces.size} refused calls, ${tally.acceptedTraces.size} accepted; ` +
        `${total} events recorded, from ${fromAccepted} accepted calls; from refused calls: ${changedByRefused.length}`,
    );
    // the check can see changes: the accepted seed cluster's events carry traces too
    expect(total).toBeGreaterThan(0);
    expect(changedByRefused.map(([, what]) => what)).toEqual([]);
  }, 120_000);
});
