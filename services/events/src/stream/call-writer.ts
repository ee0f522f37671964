import type * as grpc from '@grpc/grpc-js';

export class CallClosedError extends Error {
  constructor() {
    super('the call ended');
  }
}

/**
 * Writes to a server stream one message at a time, honouring its write buffer: after `write`
 * returns false the next write waits for 'drain'. Writers from several sources take turns (one
 * chain), so at most one message waits beyond what the call has buffered. `written` counts what
 * was handed to the call.
 */
export class CallWriter<T> {
  private chain: Promise<void> = Promise.resolve();
  private draining: Promise<void> | undefined;
  private closed = false;
  written = 0;

  constructor(private readonly call: grpc.ServerWritableStream<unknown, T>) {
    const close = () => {
      this.closed = true;
    };
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
  }

  get isClosed(): boolean {
    return this.closed || this.call.cancelled || this.call.destroyed;
  }

  write(message: T): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.draining) await this.draining;
      if (this.isClosed) throw new CallClosedError();
      this.written++;
      if (!this.call.write(message)) {
        this.draining = new Promise<void>((resolve) => {
          const done = () => {
            this.call.off('drain', done);
            this.call.off('cancelled', done);
            this.call.off('close', done);
            this.draining = undefined;
            resolve();
          };
          this.call.on('drain', done);
          this.call.on('cancelled', done);
          this.call.on('close', done);
        });
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
