import * as grpc from '@grpc/grpc-js';

/**
 * Channel credentials a process uses to call an Edgeplane gRPC API with its own identity
 * (a service calling another, the CLI, the kube API front door). Placeholder until the
 * platform PKI lands (issue 12): every caller goes through here so the switch to mTLS is one place.
 */
export function grpcClientCredentials(): grpc.ChannelCredentials {
  return grpc.credentials.createInsecure();
}
