import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Logger } from '@edgeplane/observability';
import type { ZodError } from 'zod';
import type { RedeemOutcome } from './cluster-join.client.js';
import { httpStatusOf } from './grpc-to-http.js';
import {
  MAX_REDEEM_BODY_BYTES,
  RedeemRequestSchema,
  type JoinErrorBody,
  type RedeemRequest,
  type RedeemResponse,
} from './join.request.js';

export interface JoinServerOptions {
  host: string;
  port: number;
  /** the replica's serving certificate and the shared serving key */
  certPem: string;
  keyPem: string;
  /** the gateway CA (GET /v1/join/ca) */
  caCertPem: string;
  /** files behind /v1/join/edgectl and /v1/join/agent */
  edgectlPath: string;
  agentPath: string;
  /** what /v1/join/redeem tells nodes to dial */
  tunnelAddress: string;
  redeem(request: RedeemRequest): Promise<RedeemOutcome>;
  logger: Logger;
  /** redemptions in flight at once; more are answered 429 */
  maxConcurrentRedeems?: number;
}

/**
 * The join endpoint (docs/tunnel.md "Join over HTTPS"): the gateway CA, the edgectl and agent
 * bundles, and POST /v1/join/redeem in front of the cluster service's RedeemJoinToken. Every input
 * is bounded (body size, field lengths, request time, redemptions in flight); tokens and keys are
 * never logged (only the token's id, the part before the dot).
 */
export async function startJoinServer(options: JoinServerOptions): Promise<https.Server> {
  const maxInFlight = options.maxConcurrentRedeems ?? 32;
  let inFlight = 0;
  const server = https.createServer(
    { cert: options.certPem, key: options.keyPem, minVersion: 'TLSv1.2' },
    (req, res) => void route(req, res),
  );
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.maxHeadersCount = 50;

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = (req.url ?? '/').split('?')[0];
    try {
      if (url === '/v1/join/ca' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(options.caCertPem);
      } else if (url === '/v1/join/edgectl' && req.method === 'GET') {
        await sendFile(res, options.edgectlPath, 'edgectl');
      } else if (url === '/v1/join/agent' && req.method === 'GET') {
        await sendFile(res, options.agentPath, 'agent');
      } else if (url === '/v1/join/redeem') {
        if (req.method !== 'POST') return fail(res, 405, 'UNIMPLEMENTED', null, 'use POST');
        if (inFlight >= maxInFlight) {
          req.resume();
          return fail(res, 429, 'RESOURCE_EXHAUSTED', null, 'too many joins at once; retry in a moment');
        }
        inFlight++;
        try {
          await redeem(req, res);
        } finally {
          inFlight--;
        }
      } else {
        fail(res, 404, 'NOT_FOUND', null, `no such endpoint: ${req.method} ${url}`);
      }
    } catch (error) {
      options.logger.error({ err: (error as Error).message, url }, 'join request failed');
      if (!res.headersSent) fail(res, 500, 'INTERNAL', null, 'internal error');
      else res.destroy();
    }
  }

  async function redeem(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      return fail(
        res,
        415,
        'INVALID_ARGUMENT',
        null,
        'the body must be JSON (content-type: application/json)',
      );
    }
    const body = await readBody(req, MAX_REDEEM_BODY_BYTES);
    if (body === undefined) {
      return fail(
        res,
        413,
        'INVALID_ARGUMENT',
        null,
        `the body is larger than ${MAX_REDEEM_BODY_BYTES} bytes`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return fail(res, 400, 'INVALID_ARGUMENT', null, 'the body is not valid JSON');
    }
    const parsed = RedeemRequestSchema.safeParse(json);
    if (!parsed.success) return failValidation(res, parsed.error);
    const request = parsed.data;
    const tokenId = request.token.split('.')[0]?.slice(0, 32);
    const outcome = await options.redeem(request);
    if (!outcome.ok) {
      options.logger.info(
        { nodeName: request.nodeName, tokenId, code: status[outcome.code] },
        'join refused by the cluster service',
      );
      const first = outcome.violations[0];
      return send(res, httpStatusOf(outcome.code), {
        error: {
          code: status[outcome.code] ?? String(outcome.code),
          field: first?.field ?? null,
          message: outcome.message,
          ...(outcome.violations.length > 0 ? { violations: outcome.violations } : {}),
        },
      });
    }
    const r = outcome.response;
    options.logger.info({ nodeName: r.nodeName, clusterId: r.clusterId, tokenId }, 'node joined');
    const answer: RedeemResponse = {
      clusterId: r.clusterId,
      nodeName: r.nodeName,
      certificatePem: r.certificatePem,
      caCertificatePem: r.caCertificatePem,
      tunnelAddress: options.tunnelAddress,
      containerDir: r.containerDir,
      preInstallScript: r.preInstallScript,
      postInstallScript: r.postInstallScript,
      cordoned: r.cordoned,
      cordonReason: r.cordonReason,
    };
    send(res, 200, answer);
  }

  async function sendFile(res: http.ServerResponse, file: string, what: 'edgectl' | 'agent'): Promise<void> {
    const absolute = path.resolve(file);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile()) {
      return fail(
        res,
        404,
        'NOT_FOUND',
        null,
        `the ${what} bundle is not built yet (nothing at ${absolute}); build it first (npm run build)`,
      );
    }
    res.writeHead(200, {
      'content-type': 'application/javascript',
      'content-length': info.size,
      'content-disposition': `attachment; filename="${what}"`,
    });
    createReadStream(absolute).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function send(res: http.ServerResponse, code: number, body: RedeemResponse | JoinErrorBody): void {
  const text = JSON.stringify(body);
  res
    .writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text);
}

function fail(
  res: http.ServerResponse,
  code: number,
  reason: string,
  field: string | null,
  message: string,
): void {
  send(res, code, { error: { code: reason, field, message } });
}

function failValidation(res: http.ServerResponse, error: ZodError): void {
  const violations = error.issues.map((i) => ({
    field: i.path.join('.') || ('keys' in i && Array.isArray(i.keys) ? String(i.keys[0]) : '(body)'),
    description: i.message,
  }));
  const first = violations[0]!;
  send(res, 400, {
    error: {
      code: 'INVALID_ARGUMENT',
      field: first.field,
      message: violations.map((v) => `${v.field}: ${v.description}`).join('; '),
      violations,
    },
  });
}

/** The body, or undefined as soon as it grows past `limit` bytes (the rest is not read). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
