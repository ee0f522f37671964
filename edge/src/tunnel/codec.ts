import type { EdgeplaneTunnelV1 as T } from '@edgeplane/proto';

/**
 * Protocol-buffer encoding of the tunnel messages the agent sends and receives
 * (proto/edgeplane/tunnel/v1/tunnel.proto), written out by hand so the agent needs no protobuf
 * runtime (it runs in ≤ 60 MB on small edge hosts). Decoded objects have the shape of the
 * generated `__Output` types: absent scalars are their defaults, absent messages null, enums by
 * name, and the oneof's name in `frame`. edge/test/tunnel-codec.unit.spec.ts checks every message
 * against protobufjs loading the .proto itself, both ways.
 */

// ───────────────────────────── writer ─────────────────────────────

class Writer {
  private readonly parts: Buffer[] = [];
  private size = 0;

  private push(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.push(Buffer.from(bytes));
  }

  private tag(field: number, wire: 0 | 2): void {
    this.varint((field << 3) | wire);
  }

  /** int32 / uint32 / enum / bool; zero (the default) is not written, as proto3 does. */
  int(field: number, value: number | boolean | undefined): this {
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : (value ?? 0);
    if (v === 0) return this;
    this.tag(field, 0);
    // negative int32 is sign-extended to 64 bits on the wire
    this.varint(v < 0 ? BigInt.asUintN(64, BigInt(v)) : v);
    return this;
  }

  bytes(field: number, value: Uint8Array | undefined, always = false): this {
    if (!value || (value.length === 0 && !always)) return this;
    this.tag(field, 2);
    this.varint(value.length);
    this.push(Buffer.from(value.buffer, value.byteOffset, value.length));
    return this;
  }

  string(field: number, value: string | undefined): this {
    return value ? this.bytes(field, Buffer.from(value, 'utf8')) : this;
  }

  strings(field: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) this.bytes(field, Buffer.from(v, 'utf8'), true);
    return this;
  }

  message(field: number, value: Writer | undefined): this {
    return value ? this.bytes(field, value.finish(), true) : this;
  }

  messages(field: number, values: Writer[]): this {
    for (const v of values) this.bytes(field, v.finish(), true);
    return this;
  }

  finish(): Buffer {
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
  }
}

// ───────────────────────────── reader ─────────────────────────────

type Field = { field: number; int: number; bytes: Buffer | undefined };

/** Walks the fields of one message; unknown fields are skipped (forward compatibility). */
function* fields(buf: Buffer): Generator<Field> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      yield { field, int: Number(BigInt.asIntN(32, varint())), bytes: undefined };
    } else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('truncated field');
      yield { field, int: 0, bytes: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const str = (b: Buffer | undefined) => (b ? b.toString('utf8') : '');

// ───────────────────────────── agent → gateway ─────────────────────────────

export function encodeAgentFrame(frame: T.AgentFrame): Buffer {
  const w = new Writer();
  if (frame.hello) {
    const h = frame.hello;
    w.message(
      1,
      new Writer()
        .string(1, h.nodeName)
        .string(2, h.agentVersion)
        .strings(3, h.ips)
        .int(4, h.probePort as number)
        .string(5, h.desiredVersion)
        .int(6, h.proxyPort as number),
    );
  } else if (frame.heartbeat) {
    const h = frame.heartbeat;
    w.message(
      2,
      new Writer()
        .string(1, h.nodeName)
        .int(2, h.seq as number)
        .string(3, h.sentAt),
    );
  } else if (frame.probeReport) {
    const r = frame.probeReport;
    w.message(
      3,
      new Writer()
        .string(1, r.reporter)
        .string(2, r.sentAt)
        .messages(
          3,
          (r.results ?? []).map((x) =>
            new Writer()
              .string(1, x.peer)
              .int(2, x.healthy)
              .string(3, x.probedAt)
              .int(4, x.latencyMs as number),
          ),
        ),
    );
  } else if (frame.nodeStatus) {
    const s = frame.nodeStatus;
    w.message(
      4,
      new Writer()
        .string(1, s.nodeName)
        .string(2, s.desiredVersion)
        .int(3, s.servingCached)
        .messages(
          4,
          (s.pods ?? []).map((p) => new Writer().string(1, p.namespace).string(2, p.name).string(3, p.phase)),
        ),
    );
  } else if (frame.streamFailed) {
    const f = frame.streamFailed;
    w.message(5, new Writer().string(1, f.streamId).string(2, f.code).string(3, f.message));
  } else if (frame.podStatusReport) {
    const r = frame.podStatusReport;
    w.message(
      6,
      new Writer()
        .string(1, r.nodeName)
        .string(2, r.sentAt)
        .messages(3, (r.pods ?? []).map(podState))
        .string(4, r.desiredVersion)
        .string(5, r.runtime)
        .message(
          6,
          r.allocatable
            ? new Writer()
                .int(1, r.allocatable.cpuMilli as number)
                .int(2, r.allocatable.memoryMib as number)
                .int(3, r.allocatable.pods as number)
            : undefined,
        ),
    );
  }
  return w.finish();
}

function podState(p: T.PodState): Writer {
  return new Writer()
    .string(1, p.uid)
    .string(2, p.name)
    .string(3, p.namespace)
    .string(4, p.phase)
    .int(5, p.ready)
    .int(6, p.restarts as number)
    .string(7, p.podIp)
    .string(8, p.reason)
    .string(9, p.message)
    .messages(
      10,
      (p.containers ?? []).map((c) =>
        new Writer()
          .string(1, c.name)
          .string(2, c.image)
          .string(3, c.state)
          .string(4, c.reason)
          .string(5, c.message)
          .int(6, c.exitCode as number)
          .int(7, c.restartCount as number)
          .int(8, c.ready)
          .string(9, c.startedAt)
          .string(10, c.finishedAt),
      ),
    );
}

// ───────────────────────────── gateway → agent ─────────────────────────────

function decodeSettings(buf: Buffer): T.AgentSettings__Output {
  const s: T.AgentSettings__Output = { heartbeatPeriodSeconds: 0, probePeriodSeconds: 0, probeTimeoutMs: 0 };
  for (const f of fields(buf)) {
    if (f.field === 1) s.heartbeatPeriodSeconds = f.int;
    else if (f.field === 2) s.probePeriodSeconds = f.int;
    else if (f.field === 3) s.probeTimeoutMs = f.int;
  }
  return s;
}

/** A `map<string, string>` entry (field 1 key, field 2 value) into `into`. */
function mapEntry(buf: Buffer, into: Record<string, string>): void {
  let key = '';
  let value = '';
  for (const f of fields(buf)) {
    if (f.field === 1) key = str(f.bytes);
    else if (f.field === 2) value = str(f.bytes);
  }
  into[key] = value;
}

function decodeProbe(buf: Buffer): T.Probe__Output {
  const p: T.Probe__Output = {
    exec: null,
    httpGet: null,
    tcpSocket: null,
    initialDelaySeconds: 0,
    periodSeconds: 0,
    timeoutSeconds: 0,
    failureThreshold: 0,
    successThreshold: 0,
  };
  for (const f of fields(buf)) {
    if (f.field === 1 && f.bytes) {
      const command: string[] = [];
      for (const g of fields(f.bytes)) if (g.field === 1) command.push(str(g.bytes));
      p.exec = { command };
    } else if (f.field === 2 && f.bytes) {
      const h: T.HttpGetAction__Output = { path: '', port: 0 };
      for (const g of fields(f.bytes)) {
        if (g.field === 1) h.path = str(g.bytes);
        else if (g.field === 2) h.port = g.int;
      }
      p.httpGet = h;
    } else if (f.field === 3 && f.bytes) {
      const t: T.TcpSocketAction__Output = { port: 0 };
      for (const g of fields(f.bytes)) if (g.field === 1) t.port = g.int;
      p.tcpSocket = t;
    } else if (f.field === 4) p.initialDelaySeconds = f.int;
    else if (f.field === 5) p.periodSeconds = f.int;
    else if (f.field === 6) p.timeoutSeconds = f.int;
    else if (f.field === 7) p.failureThreshold = f.int;
    else if (f.field === 8) p.successThreshold = f.int;
  }
  return p;
}

function decodeContainer(buf: Buffer): T.ContainerSpec__Output {
  const c: T.ContainerSpec__Output = {
    name: '',
    image: '',
    imagePullPolicy: '',
    command: [],
    args: [],
    env: [],
    workingDir: '',
    ports: [],
    readinessProbe: null,
    livenessProbe: null,
    resources: null,
  };
  for (const f of fields(buf)) {
    if (f.field === 1) c.name = str(f.bytes);
    else if (f.field === 2) c.image = str(f.bytes);
    else if (f.field === 3) c.imagePullPolicy = str(f.bytes);
    else if (f.field === 4) c.command.push(str(f.bytes));
    else if (f.field === 5) c.args.push(str(f.bytes));
    else if (f.field === 6 && f.bytes) {
      const e: T.EnvVar__Output = { name: '', value: '' };
      for (const g of fields(f.bytes)) {
        if (g.field === 1) e.name = str(g.bytes);
        else if (g.field === 2) e.value = str(g.bytes);
      }
      c.env.push(e);
    } else if (f.field === 7) c.workingDir = str(f.bytes);
    else if (f.field === 8 && f.bytes) {
      const port: T.ContainerPort__Output = { containerPort: 0, hostPort: 0, protocol: '', name: '' };
      for (const g of fields(f.bytes)) {
        if (g.field === 1) port.containerPort = g.int;
        else if (g.field === 2) port.hostPort = g.int;
        else if (g.field === 3) port.protocol = str(g.bytes);
        else if (g.field === 4) port.name = str(g.bytes);
      }
      c.ports.push(port);
    } else if (f.field === 9 && f.bytes) c.readinessProbe = decodeProbe(f.bytes);
    else if (f.field === 10 && f.bytes) c.livenessProbe = decodeProbe(f.bytes);
    else if (f.field === 11 && f.bytes) {
      const r: T.ResourceRequirements__Output = { requests: {}, limits: {} };
      for (const g of fields(f.bytes)) {
        if (g.field === 1 && g.bytes) mapEntry(g.bytes, r.requests);
        else if (g.field === 2 && g.bytes) mapEntry(g.bytes, r.limits);
      }
      c.resources = r;
    }
  }
  return c;
}

function decodePodSpec(buf: Buffer): T.PodSpec__Output {
  const p: T.PodSpec__Output = {
    name: '',
    namespace: '',
    uid: '',
    containers: [],
    restartPolicy: '',
    labels: {},
    terminationGracePeriodSeconds: 0,
    grid: '',
    unit: '',
    revision: '',
  };
  for (const f of fields(buf)) {
    if (f.field === 1) p.name = str(f.bytes);
    else if (f.field === 2) p.namespace = str(f.bytes);
    else if (f.field === 3) p.uid = str(f.bytes);
    else if (f.field === 4 && f.bytes) p.containers.push(decodeContainer(f.bytes));
    else if (f.field === 5) p.restartPolicy = str(f.bytes);
    else if (f.field === 6 && f.bytes) mapEntry(f.bytes, p.labels);
    else if (f.field === 7) p.terminationGracePeriodSeconds = f.int;
    else if (f.field === 8) p.grid = str(f.bytes);
    else if (f.field === 9) p.unit = str(f.bytes);
    else if (f.field === 10) p.revision = str(f.bytes);
  }
  return p;
}

function decodeServiceEntry(buf: Buffer): T.ServiceEntry__Output {
  const e: T.ServiceEntry__Output = { name: '', namespace: '', grid: '', unit: '', ports: [], endpoints: [] };
  for (const f of fields(buf)) {
    if (f.field === 1) e.name = str(f.bytes);
    else if (f.field === 2) e.namespace = str(f.bytes);
    else if (f.field === 3) e.grid = str(f.bytes);
    else if (f.field === 4) e.unit = str(f.bytes);
    else if (f.field === 5 && f.bytes) {
      const p: T.ServicePort__Output = { name: '', port: 0, targetPort: 0, protocol: '' };
      for (const g of fields(f.bytes)) {
        if (g.field === 1) p.name = str(g.bytes);
        else if (g.field === 2) p.port = g.int;
        else if (g.field === 3) p.targetPort = g.int;
        else if (g.field === 4) p.protocol = str(g.bytes);
      }
      e.ports.push(p);
    } else if (f.field === 6 && f.bytes) {
      const p: T.ServiceEndpoint__Output = { ip: '', pod: '', node: '' };
      for (const g of fields(f.bytes)) {
        if (g.field === 1) p.ip = str(g.bytes);
        else if (g.field === 2) p.pod = str(g.bytes);
        else if (g.field === 3) p.node = str(g.bytes);
      }
      e.endpoints.push(p);
    }
  }
  return e;
}

const STREAM_KINDS = [
  'STREAM_KIND_UNSPECIFIED',
  'STREAM_KIND_PROXY',
  'STREAM_KIND_RELAY',
  'STREAM_KIND_POD_LOGS',
  'STREAM_KIND_POD_EXEC',
] as const;

function decodePodStreamRequest(buf: Buffer): T.PodStreamRequest__Output {
  const r: T.PodStreamRequest__Output = {
    namespace: '',
    name: '',
    uid: '',
    container: '',
    follow: false,
    tailLines: 0,
    timestamps: false,
    previous: false,
    limitBytes: '0',
    command: [],
    timeoutSeconds: 0,
    stdin: false,
  };
  for (const g of fields(buf)) {
    if (g.field === 1) r.namespace = str(g.bytes);
    else if (g.field === 2) r.name = str(g.bytes);
    else if (g.field === 3) r.uid = str(g.bytes);
    else if (g.field === 4) r.container = str(g.bytes);
    else if (g.field === 5) r.follow = g.int !== 0;
    else if (g.field === 6) r.tailLines = g.int;
    else if (g.field === 7) r.timestamps = g.int !== 0;
    else if (g.field === 8) r.previous = g.int !== 0;
    else if (g.field === 9) r.limitBytes = String(g.int);
    else if (g.field === 10) r.command.push(str(g.bytes));
    else if (g.field === 11) r.timeoutSeconds = g.int;
    else if (g.field === 12) r.stdin = g.int !== 0;
  }
  return r;
}

export function decodeGatewayFrame(buf: Buffer): T.GatewayFrame__Output {
  for (const f of fields(buf)) {
    if (f.field === 1 && f.bytes) {
      const w: T.Welcome__Output = { nodeName: '', clusterId: '', replica: '', settings: null };
      for (const g of fields(f.bytes)) {
        if (g.field === 1) w.nodeName = str(g.bytes);
        else if (g.field === 2) w.clusterId = str(g.bytes);
        else if (g.field === 3) w.replica = str(g.bytes);
        else if (g.field === 4 && g.bytes) w.settings = decodeSettings(g.bytes);
      }
      return { welcome: w, frame: 'welcome' };
    }
    if (f.field === 2 && f.bytes) {
      const d: T.DesiredState__Output = {
        version: '',
        peers: [],
        remoteLogin: false,
        settings: null,
        generatedAt: '',
        pods: [],
        services: [],
      };
      for (const g of fields(f.bytes)) {
        if (g.field === 1) d.version = str(g.bytes);
        else if (g.field === 2 && g.bytes) {
          const p: T.Peer__Output = { name: '', address: '' };
          for (const h of fields(g.bytes)) {
            if (h.field === 1) p.name = str(h.bytes);
            else if (h.field === 2) p.address = str(h.bytes);
          }
          d.peers.push(p);
        } else if (g.field === 3) d.remoteLogin = g.int !== 0;
        else if (g.field === 4 && g.bytes) d.settings = decodeSettings(g.bytes);
        else if (g.field === 5) d.generatedAt = str(g.bytes);
        else if (g.field === 6 && g.bytes) d.pods.push(decodePodSpec(g.bytes));
        else if (g.field === 7) {
          d.runtime = str(g.bytes);
          d._runtime = 'runtime';
        } else if (g.field === 8 && g.bytes) d.services.push(decodeServiceEntry(g.bytes));
      }
      return { desiredState: d, frame: 'desiredState' };
    }
    if (f.field === 3 && f.bytes) {
      const o: T.OpenStream__Output = {
        streamId: '',
        kind: 'STREAM_KIND_UNSPECIFIED',
        target: '',
        origin: '',
        pod: null,
      };
      for (const g of fields(f.bytes)) {
        if (g.field === 1) o.streamId = str(g.bytes);
        else if (g.field === 2) o.kind = STREAM_KINDS[g.int] ?? 'STREAM_KIND_UNSPECIFIED';
        else if (g.field === 3) o.target = str(g.bytes);
        else if (g.field === 4) o.origin = str(g.bytes);
        else if (g.field === 5 && g.bytes) o.pod = decodePodStreamRequest(g.bytes);
      }
      return { openStream: o, frame: 'openStream' };
    }
  }
  return {};
}

// ───────────────────────────── sub-streams ─────────────────────────────

export function encodeChunk(chunk: T.Chunk): Buffer {
  return new Writer()
    .bytes(1, chunk.data as Uint8Array | undefined)
    .int(2, chunk.fin)
    .finish();
}

/**
 * The data of a Chunk given as consecutive parts (what ChunkDuplex gathered from several socket
 * reads), sent as one message: `frameChunk` copies them straight into its frame. Only frameChunk
 * reads it (encodeChunk does not).
 */
export const DATA_PARTS = Symbol('Chunk data in parts');
export type ChunkInParts = T.Chunk & { [DATA_PARTS]?: readonly Uint8Array[] };

/**
 * A Chunk as one whole gRPC frame (flag, length, then the message as encodeChunk writes it), the
 * data copied once: this is the sub-streams' hot path.
 */
export function frameChunk(chunk: ChunkInParts): Buffer {
  const parts = chunk[DATA_PARTS] ?? [(chunk.data as Uint8Array | undefined) ?? EMPTY];
  let n = 0;
  for (const part of parts) n += part.length;
  let lengthBytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) lengthBytes++;
  const size = (n > 0 ? 1 + lengthBytes + n : 0) + (chunk.fin ? 2 : 0);
  const out = Buffer.allocUnsafe(5 + size);
  out[0] = 0;
  out.writeUInt32BE(size, 1);
  let at = 5;
  if (n > 0) {
    out[at++] = (1 << 3) | 2; // field 1 (data), length-delimited
    for (let v = n; ; v = Math.floor(v / 128)) {
      if (v < 0x80) {
        out[at++] = v;
        break;
      }
      out[at++] = (v & 0x7f) | 0x80;
    }
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
  }
  if (chunk.fin) {
    out[at++] = 2 << 3; // field 2 (fin), varint
    out[at++] = 1;
  }
  return out;
}
const EMPTY = new Uint8Array(0);

export function decodeChunk(buf: Buffer): T.Chunk__Output {
  const c: T.Chunk__Output = { data: Buffer.alloc(0), fin: false };
  for (const f of fields(buf)) {
    if (f.field === 1 && f.bytes) c.data = f.bytes;
    else if (f.field === 2) c.fin = f.int !== 0;
  }
  return c;
}
