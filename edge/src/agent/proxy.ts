import type http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { ChunkDuplex, bridge } from '../tunnel/chunk-duplex.js';
import { Status, TARGET_KEY, type CallError, type TunnelClient } from '../tunnel/protocol.js';
import type { Resolution } from './discovery.js';
import type { AgentLogger } from './logger.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface ProxyOptions {
  host: string;
  port: number;
  /** addresses of this node's own site: always dialled directly */
  isLocal(host: string): boolean;
  /** the live tunnel's channel, if connected */
  client(): TunnelClient | undefined;
  dialFrom?: string;
  /** ServiceGrid names of this node's unit (discovery.ts): dialled inside the site, or a 503 */
  resolveService?(host: string, port: number): Resolution;
  logger: AgentLogger;
}

/** How long a "no other site has that address" answer is remembered (direct dials meanwhile). */
const NOT_REMOTE_TTL_MS = 60_000;
/** upstream connections of plain-HTTP requests, per host:port: at most this many at once… */
const UPSTREAM_MAX_PER_TARGET = 64;
/** …this many kept idle… */
const UPSTREAM_MAX_IDLE_PER_TARGET = 8;
/** …for this long */
const UPSTREAM_IDLE_MS = 15_000;

/**
 * The site proxy (F-TU-2; SuperEdge's tunnel-edge http proxy): HTTP/1.1 CONNECT and plain
 * absolute-form HTTP. Requests for addresses of another site of the cluster go through the
 * tunnel (the gateway resolves the host among the cluster's node names and addresses and opens a
 * sub-stream to that node); anything else is dialled from here. A ServiceGrid name goes to one
 * of its ready endpoints in this node's unit, dialled from here and never through the tunnel;
 * with none, the answer is an immediate 503 that says so (SPEC F-GR-3).
 */
export function startProxy(options: ProxyOptions): Promise<net.Server> {
  const notRemote = new Map<string, number>();

  /** A byte stream to host:port — through the tunnel when another site has it, else direct. */
  async function open(
    host: string,
    port: number,
    directOnly = false,
  ): Promise<{ stream: Duplex; via: 'tunnel' | 'direct' }> {
    const key = `${host}:${port}`;
    const client = directOnly ? undefined : options.client();
    const skip = (notRemote.get(host) ?? 0) > Date.now();
    if (client && !options.isLocal(host) && !skip) {
      const call = client.Stream({ [TARGET_KEY]: key });
      const outcome = await new Promise<'ok' | 'not-remote' | Error>((resolve) => {
        call.once('metadata', () => resolve('ok'));
        call.once('error', (e: CallError) =>
          resolve(e.code === Status.NOT_FOUND ? 'not-remote' : new Error(e.details || e.message)),
        );
      });
      if (outcome === 'ok') return { stream: new ChunkDuplex(call), via: 'tunnel' };
      if (outcome instanceof Error) throw outcome;
      notRemote.set(host, Date.now() + NOT_REMOTE_TTL_MS);
    }
    const socket = net.connect({
      host,
      port,
      allowHalfOpen: true,
      ...(options.dialFrom ? { localAddress: options.dialFrom } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return { stream: socket, via: 'direct' };
  }

  /** The HTTP machinery, made on the first connection: node:http is not loaded by an idle agent. */
  let httpServer: Promise<http.Server> | undefined;
  const makeHttpServer = async (): Promise<http.Server> => {
    const { default: httpModule } = await import('node:http');
    const upstreams = upstreamAgent(httpModule, false);
    // endpoints of this unit's Services: their own pool, which never asks the tunnel
    const inUnit = upstreamAgent(httpModule, true);
    const server = httpModule.createServer((req, res) =>
      handleRequest(httpModule, upstreams, inUnit, req, res),
    );
    server.on('connect', handleConnect);
    server.once('close', () => {
      upstreams.destroy();
      inUnit.destroy();
    });
    return server;
  };

  /**
   * Plain-HTTP requests reuse their upstream connections, as any forward proxy does: a request
   * to another site then costs no new sub-stream (no round trip to the gateway and the far agent
   * before its first byte) when an idle one to the same host:port is at hand. Idle connections
   * close after UPSTREAM_IDLE_MS, or sooner when the server closes them.
   */
  const upstreamAgent = (httpModule: typeof http, directOnly: boolean): http.Agent => {
    const agent = new httpModule.Agent({
      keepAlive: true,
      maxSockets: UPSTREAM_MAX_PER_TARGET,
      maxFreeSockets: UPSTREAM_MAX_IDLE_PER_TARGET,
      timeout: UPSTREAM_IDLE_MS,
    });
    Object.assign(agent, {
      createConnection(
        target: { host?: string; port?: number | string },
        done: (error: Error | null, stream?: Duplex) => void,
      ) {
        open(target.host ?? '', Number(target.port ?? 80), directOnly).then(
          ({ stream }) => done(null, stream),
          (error: Error) => done(error),
        );
        return undefined;
      },
    });
    return agent;
  };

  const handleRequest = (
    httpModule: typeof http,
    upstreams: http.Agent,
    inUnit: http.Agent,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
      if (url.protocol !== 'http:') throw new Error('only http:// URLs are proxied; use CONNECT for TLS');
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
      return;
    }
    let port = Number(url.port || 80);
    let host = url.hostname.replace(/^\[|\]$/g, '');
    let agent = upstreams;
    const service = options.resolveService?.(host, port);
    if (service?.kind === 'unavailable') {
      req.resume();
      res.writeHead(503, { 'content-type': 'text/plain', connection: 'close' }).end(`${service.message}\n`);
      options.logger.debug({ host, port }, service.message);
      return;
    }
    if (service?.kind === 'endpoint') {
      host = service.host;
      port = service.port;
      agent = inUnit;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers))
      if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    const upstream = httpModule.request({
      host,
      port,
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
      agent,
    });
    upstream.on('response', (answer) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(answer.headers))
        if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (res.headersSent) return void res.destroy(error);
      res
        .writeHead(502, { 'content-type': 'text/plain' })
        .end(`proxy: cannot reach ${host}:${port}: ${error.message}\n`);
    });
    req.pipe(upstream);
    options.logger.debug({ host, port, method: req.method }, 'proxied request');
  };

  const handleConnect = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(req.url ?? '');
    if (!m) return void socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    const [, asked, askedPort] = m as unknown as [string, string, string];
    let host = asked;
    let port = Number(askedPort);
    const service = options.resolveService?.(host, port);
    if (service?.kind === 'unavailable')
      return void socket.end(
        `HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${service.message}\n`,
      );
    if (service?.kind === 'endpoint') {
      host = service.host;
      port = service.port;
    }
    open(host, port, service?.kind === 'endpoint').then(
      ({ stream, via }) => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) stream.write(head);
        bridge(socket, stream);
        options.logger.debug({ host, port, via }, 'CONNECT tunnel open');
      },
      (error: Error) =>
        socket.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\n${error.message}\n`),
    );
  };

  // connections are accepted here and handed to the HTTP server (made once, on the first one)
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.pause();
    httpServer ??= makeHttpServer();
    httpServer.then(
      (s) => {
        s.emit('connection', socket);
        socket.resume();
      },
      () => socket.destroy(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
