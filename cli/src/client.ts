import * as grpc from '@grpc/grpc-js';
import type { Command } from 'commander';
import {
  fieldViolationsOf,
  grpcClientCredentials,
  loadPackage,
  protoFilesOf,
  type EdgeplaneClusterV1ClusterProto,
  type EdgeplaneGridV1GridProto,
  type EdgeplaneHealthV1HealthProto,
  type EdgeplaneNodepoolV1NodepoolProto,
  type EdgeplaneTunnelV1,
  type EdgeplaneTunnelV1TunnelProto,
  type ServiceName,
} from '@edgeplane/proto';

/**
 * The API endpoint block: `--server HOST[:PORT]` / EDGEPLANE_SERVER names the host and the first
 * port of the block (default the local stack, 127.0.0.1:50051); each service sits at a fixed
 * offset from it, as `npm start` and docker-compose lay them out. EDGEPLANE_<SERVICE>_ADDR
 * (e.g. EDGEPLANE_NODEPOOL_ADDR=10.0.0.5:7000) overrides one service.
 */
export const PORT_OFFSETS: Record<ServiceName, number> = {
  cluster: 0,
  nodepool: 1,
  grid: 2,
  'health-arbiter': 3,
  tunnel: 4,
  addons: 5,
};

export function addressOf(
  service: ServiceName,
  server = process.env.EDGEPLANE_SERVER ?? '127.0.0.1:50051',
): string {
  const override = process.env[`EDGEPLANE_${service.toUpperCase().replace(/-/g, '_')}_ADDR`];
  if (override) return override;
  const [host, port] = server.includes(':') ? server.split(/:(?=\d+$)/) : [server, '50051'];
  return `${host}:${Number(port) + PORT_OFFSETS[service]}`;
}

/** The `--server` a command was given (the program-wide option). */
export const serverOf = (cmd: Command): string | undefined =>
  cmd.optsWithGlobals<{ server?: string }>().server;

const CALL_TIMEOUT_MS = 15_000;

let credentialsFile: string | undefined;

/** The `--credentials FILE` of this run (undefined: EDGEPLANE_CREDENTIALS or the usual places). */
export function useCredentialsFile(file: string | undefined): void {
  credentialsFile = file;
}

/**
 * The CLI's mTLS credentials: its credential file (`--credentials`, EDGEPLANE_CREDENTIALS,
 * `.edgeplane/credentials/admin.yaml` from the working directory up — `npm start` writes it —, or
 * `~/.edgeplane/credentials.yaml`); a clear error when there is none.
 */
export function cliCredentials(): grpc.ChannelCredentials {
  return grpcClientCredentials(credentialsFile ? { file: credentialsFile } : {});
}

/**
 * The unary methods of a generated `*Client` interface, camelCase, as promises:
 * `createCluster(request: CreateClusterRequest): Promise<Cluster__Output>`. A method's last
 * generated overload is `(argument, callback)`, which is where request and response types are read.
 */
export type Unary<C extends grpc.Client> = {
  [K in keyof C as K extends Uncapitalize<K & string>
    ? C[K] extends (argument: never, callback: never) => grpc.ClientUnaryCall
      ? K
      : never
    : never]: C[K] extends (
    argument: infer Req,
    callback: grpc.requestCallback<infer Res>,
  ) => grpc.ClientUnaryCall
    ? (request: Req) => Promise<Res>
    : never;
};

/** A generated service client constructor, as a `ProtoGrpcType` names it. */
type ClientConstructor<C extends grpc.Client> = (new (
  address: string,
  credentials: grpc.ChannelCredentials,
) => C) & { service: grpc.ServiceDefinition };

/**
 * One typed client per service. Each call opens its own channel and closes it when answered: a
 * CLI run makes a call or two, and an open channel would keep the process (or a test) alive.
 */
export function unaryClient<C extends grpc.Client>(Ctor: ClientConstructor<C>, address: string): Unary<C> {
  const methods: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const [name, method] of Object.entries(Ctor.service)) {
    if (method.requestStream || method.responseStream) continue;
    methods[method.originalName ?? name.charAt(0).toLowerCase() + name.slice(1)] = (request) => {
      const channel = new Ctor(address, cliCredentials());
      return new Promise<unknown>((resolve, reject) =>
        channel.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          new grpc.Metadata(),
          { deadline: Date.now() + CALL_TIMEOUT_MS },
          (err, res) => (err ? reject(err) : resolve(res)),
        ),
      ).finally(() => channel.close());
    };
  }
  // The methods were built from the service definition the Client type was generated from.
  return methods as Unary<C>;
}

const cached = <T>(load: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= load());
};
const clusterV1 = cached(
  () => loadPackage<EdgeplaneClusterV1ClusterProto>(protoFilesOf('cluster')).grpcObject.edgeplane.cluster.v1,
);
const nodepoolV1 = cached(
  () =>
    loadPackage<EdgeplaneNodepoolV1NodepoolProto>(protoFilesOf('nodepool')).grpcObject.edgeplane.nodepool.v1,
);
const healthV1 = cached(
  () =>
    loadPackage<EdgeplaneHealthV1HealthProto>(protoFilesOf('health-arbiter')).grpcObject.edgeplane.health.v1,
);

/** edgeplane.cluster.v1, served by the cluster service. */
export function clusterApi(server?: string) {
  const pkg = clusterV1();
  const address = addressOf('cluster', server);
  return {
    clusters: unaryClient(pkg.ClusterService, address),
    joinTokens: unaryClient(pkg.JoinTokenService, address),
    nodes: unaryClient(pkg.NodeService, address),
  };
}

/** edgeplane.nodepool.v1, served by the nodepool service. */
export function nodepoolApi(server?: string) {
  const pkg = nodepoolV1();
  const address = addressOf('nodepool', server);
  return {
    nodeUnits: unaryClient(pkg.NodeUnitService, address),
    nodeGroups: unaryClient(pkg.NodeGroupService, address),
    kins: unaryClient(pkg.KinsService, address),
    apply: unaryClient(pkg.ApplyService, address),
  };
}

const gridV1 = cached(
  () => loadPackage<EdgeplaneGridV1GridProto>(protoFilesOf('grid')).grpcObject.edgeplane.grid.v1,
);

/** edgeplane.grid.v1, served by the grid service. */
export function gridApi(server?: string) {
  return unaryClient(gridV1().GridService, addressOf('grid', server));
}

/** edgeplane.health.v1, served by the health-arbiter. */
export function healthApi(server?: string) {
  return unaryClient(healthV1().HealthService, addressOf('health-arbiter', server));
}

const tunnelV1 = cached(
  () => loadPackage<EdgeplaneTunnelV1TunnelProto>(protoFilesOf('tunnel')).grpcObject.edgeplane.tunnel.v1,
);

export type RelayCall = grpc.ClientDuplexStream<EdgeplaneTunnelV1.Chunk, EdgeplaneTunnelV1.Chunk__Output>;

/**
 * edgeplane.tunnel.v1.RemoteAccessService, served by the tunnel service: a TCP relay to one of a
 * node's relay targets (`ssh`, or another port the node's agent allows). The caller closes it.
 */
export function remoteAccessApi(server?: string) {
  const client = new (tunnelV1().RemoteAccessService)(addressOf('tunnel', server), cliCredentials());
  return {
    relay(cluster: string, node: string, target: string): RelayCall {
      const md = new grpc.Metadata();
      md.set('x-edgeplane-cluster', cluster);
      md.set('x-edgeplane-node', node);
      md.set('x-edgeplane-target', target);
      return client.Relay(md);
    },
    /** PodLogs / PodExec of a pod on `node`; `request` is its x-edgeplane-pod-request JSON (libs/k8s pod-stream). */
    pod(cluster: string, node: string, kind: 'logs' | 'exec', request: string): RelayCall {
      const md = new grpc.Metadata();
      md.set('x-edgeplane-cluster', cluster);
      md.set('x-edgeplane-node', node);
      md.set('x-edgeplane-pod-request', request);
      return kind === 'logs' ? client.PodLogs(md) : client.PodExec(md);
    },
    close: () => client.close(),
  };
}

/** Prints the server's reason (and each field violation) for a failed call; returns the exit code. */
export function reportError(error: unknown): number {
  if (isServiceError(error)) {
    // TLS: the server's certificate is not one the credential file's CA signed
    if (error.code === grpc.status.UNAVAILABLE && /certificate|self-signed|SSL|TLS/i.test(error.details)) {
      process.stderr.write(
        `error: the Edgeplane API's certificate is not trusted by your credential file's CA (${error.details.split('. Resolution')[0]}); is it the credential of this stack (--credentials / EDGEPLANE_CREDENTIALS)?\n`,
      );
      return 1;
    }
    // the API itself unreachable (not a service answering UNAVAILABLE, e.g. "node not connected")
    if (
      error.code === grpc.status.UNAVAILABLE &&
      /No connection established|ECONNREFUSED|Connection dropped|Name resolution failed/.test(error.details)
    ) {
      process.stderr.write(
        `error: cannot reach the Edgeplane API (${error.details}); is the stack running (npm start), or set --server / EDGEPLANE_SERVER\n`,
      );
      return 1;
    }
    process.stderr.write(`error: ${grpc.status[error.code] ?? String(error.code)}: ${error.details}\n`);
    for (const v of fieldViolationsOf(error)) process.stderr.write(`  - ${v.field}: ${v.description}\n`);
    return 1;
  }
  process.stderr.write(`error: ${(error as Partial<Error> | null)?.message ?? String(error)}\n`);
  return 1;
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return typeof (error as Partial<grpc.ServiceError> | null)?.code === 'number';
}
