import https from 'node:https';
import tls from 'node:tls';

export interface PostResult {
  ok: boolean;
  /** HTTP status; 0 when no response came */
  status: number;
  /** why it failed (status or transport error), never the response body */
  error: string;
}

/** POSTs a JSON body over HTTPS; the response body is read and dropped (at most 64 KiB read). */
export class HttpsPoster {
  private readonly agent: https.Agent;

  constructor(
    extraCa: string,
    private readonly timeoutMs: number,
  ) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ...(extraCa ? { ca: [...tls.rootCertificates, extraCa] } : {}),
    });
  }

  post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
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
        done({ ok: false, status: 0, error: (err.code ? `${err.code}: ` : '') + err.message.slice(0, 200) }),
      );
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
