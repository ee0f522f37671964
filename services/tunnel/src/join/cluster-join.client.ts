import * as grpc from '@grpc/grpc-js';
import { grpcClientCredentials } from '@edgeplane/service-kit';
import {
  fieldViolationsOf,
  loadPackage,
  protoFilesOf,
  type EdgeplaneClusterV1,
  type EdgeplaneClusterV1ClusterProto,
  type FieldViolation,
} from '@edgeplane/proto';

export type RedeemOutcome =
  | { ok: true; response: EdgeplaneClusterV1.RedeemJoinTokenResponse__Output }
  | { ok: false; code: grpc.status; message: string; violations: FieldViolation[] };

/** The cluster service's JoinTokenService through the generated typed client. */
export class ClusterJoinClient {
  private readonly client: EdgeplaneClusterV1.JoinTokenServiceClient;

  constructor(
    address: string,
    private readonly timeoutMs = 20_000,
  ) {
    const { grpcObject } = loadPackage<EdgeplaneClusterV1ClusterProto>(protoFilesOf('cluster'));
    this.client = new grpcObject.edgeplane.cluster.v1.JoinTokenService(
      address,
      grpcClientCredentials(), // the tunnel's platform certificate (RedeemJoinToken is for services)
    );
  }

  redeem(request: EdgeplaneClusterV1.RedeemJoinTokenRequest): Promise<RedeemOutcome> {
    return new Promise((resolve) => {
      this.client.RedeemJoinToken(request, { deadline: Date.now() + this.timeoutMs }, (err, response) => {
        if (err || !response) {
          const e = err ?? ({ code: grpc.status.INTERNAL, details: 'empty response' } as grpc.ServiceError);
          resolve({
            ok: false,
            code: e.code,
            message: e.details || e.message,
            violations: fieldViolationsOf(e),
          });
        } else resolve({ ok: true, response });
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
