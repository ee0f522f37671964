import * as grpc from '@grpc/grpc-js';
import { testGrpcCredentials } from '@edgeplane/testing';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';

type Unary = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r: unknown) => void,
) => void;

/** Promise-returning clients of the three services of edgeplane.cluster.v1 (tests only). */
export function clusterApi(address: string) {
  const { grpcObject } = loadPackage(protoFilesOf('cluster'));
  const pkg = (grpcObject as any).edgeplane.cluster.v1;
  const make = (name: string) => {
    const c = new pkg[name](address, testGrpcCredentials()) as grpc.Client & Record<string, Unary>;
    return {
      client: c,
      call<T = any>(method: string, request: unknown): Promise<T> {
        const fn = c[method]!;
        return new Promise<T>((resolve, reject) =>
          fn.call(c, request, new grpc.Metadata(), { deadline: Date.now() + 20_000 }, (err, res) =>
            err ? reject(err) : resolve(res as T),
          ),
        );
      },
    };
  };
  const clusters = make('ClusterService');
  const tokens = make('JoinTokenService');
  const nodes = make('NodeService');
  return {
    clusters: clusters.call,
    tokens: tokens.call,
    nodes: nodes.call,
    close() {
      for (const c of [clusters, tokens, nodes]) c.client.close();
    },
  };
}

/** Resolves to the gRPC error a call failed with (fails the test if it succeeded). */
export async function failure(p: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    const r = await p;
    throw new Error(`expected the call to fail, got ${JSON.stringify(r).slice(0, 300)}`);
  } catch (error) {
    if ((error as grpc.ServiceError).code === undefined) throw error;
    return error as grpc.ServiceError;
  }
}
