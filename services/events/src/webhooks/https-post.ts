import https from 'node:https';
import tls from 'node:tls';
import { guardedLookup, literalHost, privateAddressReason, type Resolve } from './target-guard.js';

export interface PostResult {
  ok: boolean;
  /** HTTP status; 0 when no response came */
  status: number;
  /** why it failed (status or transport error), never the response body */
  error: string;
}

/**
 * POSTs a JSON body over HTTPS; the response body is read and dropped (at most 64 KiB read).
 * Unless `allowPrivate`, a private or internal target is refused before connecting: a literal IP
 * host here, a name by the agent's `lookup` (`guardedLookup`), which connects to the addresses it
 * checked.
 */
export class HttpsPoster {
  private readonly agent: https.Agent;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly concurrency: number;

  constructor(
    extraCa: string,
    private readonly timeoutMs: number,
    private readonly options: { allowPrivate: boolean; resolve?: Resolve; concurrency?: number } = {
      allowPrivate: false,
    },
  ) {
    this.concurrency = options.concurrency ?? 256;
    // keep-alive, up to `concurrency` connections per endpoint (requests queue in `post` beyond)
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: this.concurrency,
      maxFreeSockets: this.concurrency,
      scheduling: 'lifo',
      // one secure context, not `ca`: the agent keys its connection pools by a name that would
      // carry every CA's PEM (~200 KiB built and hashed per request: the bench's top cost)
      ...(extraCa
        ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, extraCa] }) }
        : {}),
      ...(options.allowPrivate ? {} : { lookup: guardedLookup(options.resolve) }),
    });
  }

  /** POSTs, at most `concurrency` at once over all endpoints (the others wait their turn, in order). */
  async post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    if (this.inFlight >= this.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    else this.inFlight++;
    try {
      return await this.postNow(url, body, headers);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  private postNow(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    if (!this.options.allowPrivate) {
      const literal = literalHost(new URL(url).hostname);
      const why = literal && privateAddressReason(literal);
      if (why)
        return Promise.resolve({
          ok: false,
          status: 0,
          error: `EPRIVATETARGET: ${why}: private and internal targets are refused (operator setting EVENTS_WEBHOOK_ALLOW_PRIVATE)`,
        });
    }
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: PostResult) => {
        if (!settled) {
          settled = true;
          resolve(r);
        }
      };
      const req = https.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          timeout: this.timeoutMs,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > 64 * 1024) res.destroy();
          });
          const finish = () =>
            done({
              ok: status >= 200 && status < 300,
              status,
              error: status >= 200 && status < 300 ? '' : `HTTP ${status}`,
            });
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) =>
        done({ ok: false, status: 0, error: (err.code ? `${err.code}: ` : '') + err.message.slice(0, 300) }),
      );
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
