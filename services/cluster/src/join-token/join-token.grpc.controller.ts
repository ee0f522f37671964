import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { pageRequest, parseRequest } from '@edgeplane/service-kit';
import { z } from 'zod';
import { ClusterRefMessage } from '../cluster/cluster.grpc.mapping.js';
import { tokenMessage } from './join-token.grpc.mapping.js';
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS } from './join-token.decide.js';
import { JoinTokenHandler } from './join-token.handler.js';

const CreateJoinTokenRequest = z.object({
  cluster: ClusterRefMessage,
  // 0 = the default; checked here as well as in the decider, so it is refused before any lookup
  ttlSeconds: z
    .number()
    .int()
    .default(0)
    .refine((ttl) => ttl === 0 || (ttl >= MIN_TTL_SECONDS && ttl <= MAX_TTL_SECONDS), {
      message: `expiry must be between 1 minute and 24 hours (${MIN_TTL_SECONDS}–${MAX_TTL_SECONDS} s)`,
    }),
  containerDir: z.string().default(''),
  preInstallScript: z.string().default(''),
  postInstallScript: z.string().default(''),
});
const ListJoinTokensRequest = z.object({
  cluster: ClusterRefMessage,
  pageSize: z.number().int().default(0),
  pageToken: z.string().default(''),
});
const RevokeJoinTokenRequest = z.object({ tokenId: z.string().trim().min(1, 'is required') });
const RedeemJoinTokenRequest = z.object({
  token: z.string().min(1, 'is required'),
  nodeName: z.string().min(1, 'is required'),
  csrPem: z.string().min(1, 'is required'),
  arch: z.string().min(1, 'is required'),
  os: z.string().min(1, 'is required'),
  interface: z.string().min(1, 'is required'),
  ips: z.array(z.string()).default([]),
  gpuModel: z.string().default(''),
});

/** edgeplane.cluster.v1.JoinTokenService: maps proto ↔ the join-token handler, nothing else. */
@Controller()
export class JoinTokenGrpcController {
  constructor(@Inject(JoinTokenHandler) private readonly tokens: JoinTokenHandler) {}

  @GrpcMethod('JoinTokenService', 'CreateJoinToken')
  async createJoinToken(request: unknown) {
    const req = parseRequest(CreateJoinTokenRequest, request);
    const { token, tokenText, join } = await this.tokens.create(req);
    return {
      token: tokenMessage(token),
      tokenSecretText: tokenText,
      joinCommand: join.command,
      privateAccessPreInstall: join.privateAccessPreInstall,
      instructions: join.text,
    };
  }

  @GrpcMethod('JoinTokenService', 'ListJoinTokens')
  async listJoinTokens(request: unknown) {
    const req = parseRequest(ListJoinTokensRequest, request);
    const page = pageRequest(req, { list: 'join-tokens', cluster: req.cluster });
    const { items, nextPageToken } = await this.tokens.list(req.cluster, page);
    return { tokens: items.map(tokenMessage), nextPageToken };
  }

  @GrpcMethod('JoinTokenService', 'RevokeJoinToken')
  async revokeJoinToken(request: unknown) {
    const req = parseRequest(RevokeJoinTokenRequest, request);
    return tokenMessage(await this.tokens.revoke(req.tokenId));
  }

  @GrpcMethod('JoinTokenService', 'RedeemJoinToken')
  async redeemJoinToken(request: unknown) {
    const req = parseRequest(RedeemJoinTokenRequest, request);
    const r = await this.tokens.redeem(req);
    return {
      clusterId: r.clusterId,
      nodeName: r.nodeName,
      certificatePem: r.certificatePem,
      caCertificatePem: r.caCertificatePem,
      containerDir: r.containerDir,
      preInstallScript: r.preInstallScript,
      postInstallScript: r.postInstallScript,
      cordoned: r.cordoned,
      cordonReason: r.cordonReason,
    };
  }
}
