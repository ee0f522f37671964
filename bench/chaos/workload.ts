/**
 * The chaos bench's load: scenarios through the public gRPC API whose every acknowledged command
 * has an effect the bench can observe (in the service's own read model or downstream), the
 * expectations polled until they hold, and a stream of oversized and malformed requests.
 */
import * as grpc from '@grpc/grpc-js';
import { testGrpcCredentials } from '@edgeplane/testing';
import { createNodeCsr } from '@edgeplane/k8s';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Target = 'cluster' | 'nodepool' | 'health-arbiter';
type Unary = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r: unknown) => void,
) => void;

const PACKAGES: Record<Target, { pkg: string; services: string[] }> = {
  cluster: { pkg: 'cluster', services: ['ClusterService', 'JoinTokenService', 'NodeService'] },
  nodepool: { pkg: 'nodepool', services: ['NodeUnitService', 'NodeGroupService', 'NodeMembershipService'] },
  'health-arbiter': { pkg: 'health', services: ['HealthService'] },
};

/** Promise clients of the three public APIs, one channel per service (reconnects after restarts). */
export class Api {
  private readonly clients = new Map<string, grpc.Client & Record<string, Unary>>();

  constructor(addresses: Record<Target, string>, options: grpc.ChannelOptions = {}) {
    for (const [target, { pkg, services }] of Object.entries(PACKAGES) as [
      Target,
      (typeof PACKAGES)[Target],
    ][]) {
      const { grpcObject } = loadPackage(protoFilesOf(target));
      const ns = (grpcObject as any).edgeplane[pkg].v1;
      for (const s of services) {
        this.clients.set(
          s,
          new ns[s](addresses[target], testGrpcCredentials(), {
            'grpc.max_send_message_length': 8 * 1024 * 1024,
            'grpc.max_receive_message_length': 8 * 1024 * 1024,
            ...options,
          }),
        );
      }
    }
  }

  call<T = any>(service: string, method: string, request: unknown, timeoutMs = 10_000): Promise<T> {
    const c = this.clients.get(service)!;
    const fn = c[method];
    if (!fn) throw new Error(`no method ${service}.${method}`);
    return new Promise<T>((resolve, reject) =>
      fn.call(c, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) =>
        err ? reject(err) : resolve(res as T),
      ),
    );
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }
}

const codeName = (code: number | undefined) =>
  code === undefined ? 'NO_STATUS' : (grpc.status[code] ?? String(code));

/** What the load saw: acknowledged commands, their expectations, and every status code met. */
export class Ledger {
  commandsAcked = 0;
  commandsGivenUp: { label: string; code: string; message: string }[] = [];
  /** status codes of failed attempts that were retried (transient while a part is down) */
  retriedCodes: Record<string, number> = {};
  expectations: Expectation[] = [];
  scenariosDone = 0;
  attacks: Record<string, Record<string, number>> = {};
  attackMishandled: { attack: string; code: string; message: string }[] = [];
  attackAccepted: string[] = [];
}

export interface Expectation {
  label: string;
  ackedAt: number;
  /** first time it was seen to hold */
  seenAt?: number;
  check: () => Promise<boolean>;
}

/** Codes a client retries: the part is down or restarting, or a lost race. */
const TRANSIENT = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.ABORTED,
  grpc.status.CANCELLED,
  grpc.status.INTERNAL,
  grpc.status.UNKNOWN,
  grpc.status.RESOURCE_EXHAUSTED,
]);
/** Codes that mean "the downstream service has not heard of it yet": retried when the step waits. */
const NOT_YET = new Set([grpc.status.NOT_FOUND, grpc.status.FAILED_PRECONDITION]);

export class Workload {
  stopped = false;
  fixture?: { cluster: string; node: string; unit: string };

  constructor(
    private readonly api: Api,
    readonly ledger: Ledger,
    private readonly runId: string,
    private readonly giveUpMs = 120_000,
  ) {}

  /**
   * Sends a command until it is acknowledged: transient failures are retried (a restarted service,
   * a database cut); `waitDownstream` retries NOT_FOUND/FAILED_PRECONDITION too (the service has not
   * heard of the cluster or unit yet); ALREADY_EXISTS after a failed attempt means that attempt
   * committed. Returns undefined when it gave up.
   */
  async command<T = any>(
    label: string,
    service: string,
    method: string,
    request: unknown,
    opts: { waitDownstream?: boolean } = {},
  ): Promise<T | undefined> {
    const deadline = Date.now() + this.giveUpMs;
    let attempt = 0;
    for (;;) {
      attempt++;
      try {
        const res = await this.api.call<T>(service, method, request);
        this.ledger.commandsAcked++;
        return res;
      } catch (error) {
        const e = error as grpc.ServiceError;
        if (e.code === grpc.status.ALREADY_EXISTS && attempt > 1) {
          this.ledger.commandsAcked++;
          return {} as T;
        }
        const retry = TRANSIENT.has(e.code) || (opts.waitDownstream && NOT_YET.has(e.code));
        if (!retry || Date.now() > deadline) {
          this.ledger.commandsGivenUp.push({
            label,
            code: codeName(e.code),
            message: String(e.details ?? e.message).slice(0, 200),
          });
          return undefined;
        }
        const name = codeName(e.code);
        this.ledger.retriedCodes[name] = (this.ledger.retriedCodes[name] ?? 0) + 1;
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
      }
    }
  }

  expect(label: string, check: () => Promise<boolean>): void {
    this.ledger.expectations.push({ label, ackedAt: Date.now(), check });
  }

  private async query<T = any>(service: string, method: string, request: unknown): Promise<T | undefined> {
    try {
      return await this.api.call<T>(service, method, request, 5000);
    } catch {
      return undefined;
    }
  }

  private node(cluster: string, name: string) {
    return this.query('NodeService', 'GetNode', { node: { cluster: { name: cluster }, name } }).then(
      (d) =>
        d?.node as
          | { labels: Record<string, string>; operatorLabels: Record<string, string>; schedulable: boolean }
          | undefined,
    );
  }

  /** One scenario: a cluster, a token, two nodes, labels, a cordon, a unit, a group, health settings. */
  async scenario(i: number): Promise<void> {
    const cl = `chaos-${this.runId}-${i}`;
    const ref = { name: cl };
    const created = await this.command(`${cl} CreateCluster`, 'ClusterService', 'CreateCluster', {
      name: cl,
      kubernetesVersion: '1.22.5',
      runtime: 'containerd',
      region: 'ap-guangzhou',
      vpcId: `vpc-${this.runId}-${i}`,
      vpcCidr: '10.0.0.0/16',
      podCidr: '172.16.0.0/16',
      serviceCidr: '172.17.0.0/20',
    });
    if (!created || this.stopped) return;
    this.expect(
      `${cl} cluster readable`,
      async () => (await this.query('ClusterService', 'GetCluster', { cluster: ref }))?.status === 'active',
    );
    this.expect(
      `${cl} known to health-arbiter`,
      async () => !!(await this.query('HealthService', 'GetConfig', { cluster: cl })),
    );

    const access = await this.command(`${cl} SetAccess`, 'ClusterService', 'SetAccess', {
      cluster: ref,
      publicAccess: true,
    });
    if (!access || this.stopped) return;
    this.expect(
      `${cl} public access on`,
      async () =>
        (await this.query('ClusterService', 'GetCluster', { cluster: ref }))?.access?.publicAccess === true,
    );

    const token = await this.command(`${cl} CreateJoinToken`, 'JoinTokenService', 'CreateJoinToken', {
      cluster: ref,
      ttlSeconds: 3600,
    });
    if (!token?.token || this.stopped) return;
    const tokenId = token.token.id as string;
    this.expect(
      `${cl} token listed`,
      async () =>
        !!(await this.query('JoinTokenService', 'ListJoinTokens', { cluster: ref }))?.tokens?.some(
          (t: { id: string }) => t.id === tokenId,
        ),
    );

    const nodes = [`n1-${i}`, `n2-${i}`];
    for (const n of nodes) {
      const { csrPem } = await createNodeCsr(n);
      const redeemed = await this.command(
        `${cl}/${n} RedeemJoinToken`,
        'JoinTokenService',
        'RedeemJoinToken',
        {
          token: token.tokenSecretText,
          nodeName: n,
          csrPem,
          arch: 'x86_64',
          os: 'linux',
          interface: 'eth0',
          ips: ['10.0.0.1'],
        },
      );
      if (!redeemed) return;
      this.expect(`${cl}/${n} node readable`, async () => !!(await this.node(cl, n)));
      this.expect(
        `${cl}/${n} membership in nodepool`,
        async () =>
          !!(
            await this.query('NodeMembershipService', 'ListNodeMemberships', { cluster: cl, node: n })
          )?.memberships?.some((m: { node: string }) => m.node === n),
      );
    }
    const [n1, n2] = nodes as [string, string];
    if (this.stopped) return;

    const zone = `z${i}`;
    if (
      await this.command(`${cl}/${n1} LabelNode`, 'NodeService', 'LabelNode', {
        node: { cluster: ref, name: n1 },
        set: { zone },
      })
    )
      this.expect(
        `${cl}/${n1} operator label zone=${zone}`,
        async () => (await this.node(cl, n1))?.operatorLabels?.zone === zone,
      );
    if (
      await this.command(`${cl}/${n2} CordonNode`, 'NodeService', 'CordonNode', {
        node: { cluster: ref, name: n2 },
        reason: 'chaos',
      })
    )
      this.expect(`${cl}/${n2} cordoned`, async () => (await this.node(cl, n2))?.schedulable === false);
    if (this.stopped) return;

    const unit = `u-${i}`;
    const mark = `m${i}`;
    const spec = (members: string[]) => ({
      type: 'edge',
      nodes: members,
      setNode: { labels: { 'chaos-mark': mark } },
    });
    const unitOk = await this.command(
      `${cl} CreateNodeUnit ${unit}`,
      'NodeUnitService',
      'CreateNodeUnit',
      { cluster: cl, name: unit, spec: spec([n1]) },
      { waitDownstream: true },
    );
    if (!unitOk) return;
    this.expect(`${cl}/${n1} labelled by unit ${unit} (nodepool → cluster)`, async () => {
      const l = (await this.node(cl, n1))?.labels;
      return l?.['chaos-mark'] === mark && l?.[unit] === 'nodeunits.superedge.io';
    });
    this.fixture ??= { cluster: cl, node: n1, unit };
    const group = `g-${i}`;
    if (
      await this.command(`${cl} CreateNodeGroup ${group}`, 'NodeGroupService', 'CreateNodeGroup', {
        cluster: cl,
        name: group,
        spec: { nodeUnits: [unit] },
      })
    )
      this.expect(
        `${cl}/${n1} group label ${group}=${unit}`,
        async () => (await this.node(cl, n1))?.labels?.[group] === unit,
      );
    if (
      await this.command(`${cl} UpdateNodeUnit ${unit}`, 'NodeUnitService', 'UpdateNodeUnit', {
        cluster: cl,
        name: unit,
        spec: spec([n1, n2]),
      })
    )
      this.expect(
        `${cl}/${n2} labelled after unit update`,
        async () => (await this.node(cl, n2))?.labels?.['chaos-mark'] === mark,
      );
    if (this.stopped) return;

    const grace = 30 + (i % 60);
    if (
      await this.command(
        `${cl} SetConfig`,
        'HealthService',
        'SetConfig',
        { cluster: cl, graceSeconds: grace, actor: 'chaos' },
        { waitDownstream: true },
      )
    )
      this.expect(
        `${cl} health grace ${grace}`,
        async () => (await this.query('HealthService', 'GetConfig', { cluster: cl }))?.graceSeconds === grace,
      );
    if (
      await this.command(
        `${cl} SetUnitHealthCheck ${unit}`,
        'HealthService',
        'SetUnitHealthCheck',
        { cluster: cl, unit, enabled: false, actor: 'chaos' },
        { waitDownstream: true },
      )
    )
      this.expect(
        `${cl} unit ${unit} health check off`,
        async () =>
          !!(await this.query('HealthService', 'GetConfig', { cluster: cl }))?.disabledUnits?.includes(unit),
      );
    this.ledger.scenariosDone++;
  }
}

/** Polls the pending expectations until stopped; records when each first held. */
export async function pollExpectations(
  ledger: Ledger,
  isStopped: () => boolean,
  concurrency = 4,
): Promise<void> {
  while (!isStopped()) {
    const pending = ledger.expectations.filter((e) => e.seenAt === undefined);
    for (let k = 0; k < pending.length && !isStopped(); k += concurrency) {
      await Promise.all(
        pending.slice(k, k + concurrency).map(async (e) => {
          if (await e.check().catch(() => false)) e.seenAt = Date.now();
        }),
      );
    }
    await sleep(300);
  }
}

// ------------------------------------------------------------------------------------------------
// Oversized and malformed requests

/** Codes that are a clean refusal of a client's mistake. */
const CLEAN_REFUSAL = new Set([
  grpc.status.INVALID_ARGUMENT,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.OUT_OF_RANGE,
  grpc.status.NOT_FOUND,
  grpc.status.FAILED_PRECONDITION,
]);

export function attacks(fx: { cluster: string; node: string; unit: string }, runId: string) {
  const node = { cluster: { name: fx.cluster }, name: fx.node };
  const big = (n: number) => 'x'.repeat(n);
  return [
    {
      name: 'cluster name 200k chars',
      service: 'ClusterService',
      method: 'CreateCluster',
      req: { name: big(200_000), kubernetesVersion: '1.22.5', runtime: 'containerd', region: 'ap-guangzhou' },
    },
    {
      name: 'cluster name with NUL',
      service: 'ClusterService',
      method: 'CreateCluster',
      req: {
        name: `bad\u0000${runId}`,
        kubernetesVersion: '1.22.5',
        runtime: 'containerd',
        region: 'ap-guangzhou',
      },
    },
    {
      name: 'cluster name 5 MiB (over the gRPC limit)',
      service: 'ClusterService',
      method: 'CreateCluster',
      req: { name: big(5 * 1024 * 1024) },
    },
    {
      name: 'GetCluster name with NUL',
      service: 'ClusterService',
      method: 'GetCluster',
      req: { cluster: { name: '\u0000\u0000' } },
    },
    {
      name: 'label value 1.1 MB',
      service: 'NodeService',
      method: 'LabelNode',
      req: { node, set: { big: big(1_100_000) } },
    },
    {
      name: 'label key __proto__',
      service: 'NodeService',
      method: 'LabelNode',
      req: { node, set: { __proto__x: 'y', ['__proto__']: 'z' } },
    },
    {
      name: 'cordon reason 1.1 MB',
      service: 'NodeService',
      method: 'CordonNode',
      req: { node, reason: big(1_100_000) },
    },
    {
      name: 'unit name 1 MB',
      service: 'NodeUnitService',
      method: 'CreateNodeUnit',
      req: { cluster: fx.cluster, name: big(1_000_000), spec: { type: 'edge' } },
    },
    {
      name: 'setNode annotation 1 MiB',
      service: 'NodeUnitService',
      method: 'CreateNodeUnit',
      req: {
        cluster: fx.cluster,
        name: `big-ann-${runId}`,
        spec: { type: 'edge', setNode: { annotations: { a: big(1024 * 1024) } } },
      },
    },
    {
      name: 'selector operator bogus',
      service: 'NodeUnitService',
      method: 'CreateNodeUnit',
      req: {
        cluster: fx.cluster,
        name: `bad-sel-${runId}`,
        spec: { type: 'edge', selector: { matchExpressions: [{ key: 'a', operator: 'Bogus', values: [] }] } },
      },
    },
    {
      name: 'health unit name 1.1 MB',
      service: 'HealthService',
      method: 'SetUnitHealthCheck',
      req: { cluster: fx.cluster, unit: big(1_100_000), enabled: false },
    },
    {
      name: 'grace_seconds 0',
      service: 'HealthService',
      method: 'SetConfig',
      req: { cluster: fx.cluster, graceSeconds: 0 },
    },
    {
      name: 'token ttl 5 s',
      service: 'JoinTokenService',
      method: 'CreateJoinToken',
      req: { cluster: { name: fx.cluster }, ttlSeconds: 5 },
    },
  ];
}

/** Sends one bad request; records its code. A client mistake must be refused cleanly, never accepted. */
export async function attack(api: Api, ledger: Ledger, a: ReturnType<typeof attacks>[number]): Promise<void> {
  let code: string;
  try {
    await api.call(a.service, a.method, a.req, 15_000);
    code = 'OK';
    ledger.attackAccepted.push(a.name);
  } catch (error) {
    const e = error as grpc.ServiceError;
    code = codeName(e.code);
    if (e.code === grpc.status.UNAVAILABLE) {
      // the service is down (a kill in progress): not a verdict on the request
    } else if (!CLEAN_REFUSAL.has(e.code)) {
      ledger.attackMishandled.push({
        attack: a.name,
        code,
        message: String(e.details ?? e.message).slice(0, 160),
      });
    }
  }
  const per = (ledger.attacks[a.name] ??= {});
  per[code] = (per[code] ?? 0) + 1;
}
