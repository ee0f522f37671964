import {
  tunnelClient,
  type CallError,
  type ControlCall,
  type Tunnel,
  type TunnelClient,
} from '../tunnel/protocol.js';
import type { AgentLogger } from './logger.js';

/** A stream the gateway accepted but never welcomed (a stuck gateway) is given up after this long. */
const WELCOME_TIMEOUT_MS = 60_000;

export interface ConnectionHandlers {
  /** what to say first on every new stream */
  hello(): Tunnel.Hello;
  welcomed(welcome: Tunnel.Welcome__Output): void;
  desired(state: Tunnel.DesiredState__Output): void;
  openStream(open: Tunnel.OpenStream__Output, client: TunnelClient): void;
  disconnected(reason: string): void;
}

export interface ConnectionOptions {
  address: string;
  serverName?: string;
  credentials: () => { gatewayCaPem: string; keyPem: string; certPem: string };
  reconnect: { minMs: number; maxMs: number };
  logger: AgentLogger;
}

/**
 * The agent's side of the control stream: dials out, says Hello, and when the stream ends for
 * any reason dials again: first after a delay drawn from [minMs, maxMs] (the whole fleet lost the
 * gateway at the same moment), then with a jittered exponential backoff (minMs · 2^n, at most
 * maxMs, times a random factor in [0.5, 1)). Each attempt uses a
 * fresh channel; sub-streams are opened on the channel of the live stream (same HTTP/2
 * connection, own flow-control windows).
 */
export class TunnelConnection {
  private client?: TunnelClient;
  private call?: ControlCall;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private live = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {}

  get connected(): boolean {
    return this.live;
  }

  /** The channel of the live stream (for sub-streams), if connected. */
  get activeClient(): TunnelClient | undefined {
    return this.live ? this.client : undefined;
  }

  start(): void {
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.call?.cancel();
    this.client?.close();
  }

  send(frame: Tunnel.AgentFrame): boolean {
    if (!this.live || !this.call) return false;
    try {
      this.call.write(frame);
      return true;
    } catch {
      return false;
    }
  }

  private dial(): void {
    if (this.stopped) return;
    let client: TunnelClient;
    try {
      client = tunnelClient({
        address: this.options.address,
        serverName: this.options.serverName,
        ...this.options.credentials(),
      });
    } catch (error) {
      return this.retry(`cannot load the node identity: ${(error as Error).message}`);
    }
    this.client = client;
    const call = client.Control();
    this.call = call;
    let ended = false;
    // no Welcome for a long time (a stuck gateway): give up on this attempt and retry. A gateway
    // busy with a reconnect storm answers late, not never: this is not a load-shedding timeout.
    const welcomeTimer = setTimeout(() => {
      call.cancel();
      end(`no Welcome from the gateway within ${WELCOME_TIMEOUT_MS / 1000} s`);
    }, WELCOME_TIMEOUT_MS);
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(welcomeTimer);
      const wasLive = this.live;
      this.live = false;
      call.removeAllListeners('data');
      client.close();
      if (this.client === client) this.client = undefined;
      if (wasLive) this.handlers.disconnected(reason);
      this.retry(reason, wasLive);
    };
    call.on('data', (frame: Tunnel.GatewayFrame__Output) => {
      switch (frame.frame) {
        case 'welcome':
          clearTimeout(welcomeTimer);
          this.live = true;
          this.attempt = 0;
          return this.handlers.welcomed(frame.welcome!);
        case 'desiredState':
          return this.handlers.desired(frame.desiredState!);
        case 'openStream':
          return this.handlers.openStream(frame.openStream!, client);
      }
    });
    call.on('error', (e: CallError) => end(e.details || e.message));
    call.on('end', () => end('the gateway ended the stream'));
    call.write({ hello: this.handlers.hello() });
  }

  /**
   * After losing a live stream every agent of the gateway is in the same position at the same
   * moment: the first retry is spread over the whole [minMs, maxMs] window (full jitter) so a fleet
   * does not come back in one burst of handshakes; later ones back off exponentially.
   */
  private retry(reason: string, wasLive = false): void {
    if (this.stopped) return;
    const { minMs, maxMs } = this.options.reconnect;
    const delay = wasLive
      ? Math.round(minMs + Math.random() * (maxMs - minMs))
      : Math.round(Math.min(maxMs, minMs * 2 ** this.attempt) * (0.5 + Math.random() * 0.5));
    this.attempt = Math.min(this.attempt + 1, 30);
    this.options.logger.info({ reason, retryInMs: delay }, 'tunnel down; reconnecting');
    this.timer = setTimeout(() => this.dial(), delay);
  }
}
