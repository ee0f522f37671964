/**
 * Protocol-buffer encoding of the CRI messages the `cri` driver uses (api.proto beside this file),
 * driven by small field tables instead of a protobuf runtime: the agent bundle stays free of
 * protobufjs/grpc-js (it runs in ≤ 60 MB on small edge hosts, and reads no file beside itself).
 * Objects use the .proto's field names in camelCase; decoded absent scalars are their defaults,
 * absent messages undefined, enums numbers, 64-bit integers numbers (nanosecond timestamps lose
 * their last bits, nothing here needs them). edge/test/runtime/cri-codec.unit.spec.ts checks every
 * table against protobufjs loading api.proto, both ways.
 */

type Scalar = 'string' | 'bytes' | 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'enum';
type FieldType = Scalar | 'map' | Schema;
/** field name → [number, type, repeated?] */
export type Schema = { readonly [name: string]: readonly [number, FieldType, 'repeated'?] };

// ───────────────────────────── schemas (api.proto) ─────────────────────────────

const PodSandboxMetadata = {
  name: [1, 'string'],
  uid: [2, 'string'],
  namespace: [3, 'string'],
  attempt: [4, 'uint32'],
} as const satisfies Schema;
const PortMapping = {
  protocol: [1, 'enum'],
  containerPort: [2, 'int32'],
  hostPort: [3, 'int32'],
  hostIp: [4, 'string'],
} as const satisfies Schema;
const PodSandboxConfig = {
  metadata: [1, PodSandboxMetadata],
  hostname: [2, 'string'],
  logDirectory: [3, 'string'],
  portMappings: [5, PortMapping, 'repeated'],
  labels: [6, 'map'],
  annotations: [7, 'map'],
  linux: [8, { cgroupParent: [1, 'string'] }],
} as const satisfies Schema;
const SandboxId = { podSandboxId: [1, 'string'] } as const satisfies Schema;
const ContainerId = { containerId: [1, 'string'] } as const satisfies Schema;
const Empty = {} as const satisfies Schema;
const ImageSpec = { image: [1, 'string'] } as const satisfies Schema;
const ContainerMetadata = { name: [1, 'string'], attempt: [2, 'uint32'] } as const satisfies Schema;
const PodSandbox = {
  id: [1, 'string'],
  metadata: [2, PodSandboxMetadata],
  state: [3, 'enum'],
  createdAt: [4, 'int64'],
  labels: [5, 'map'],
  annotations: [6, 'map'],
} as const satisfies Schema;
const Container = {
  id: [1, 'string'],
  podSandboxId: [2, 'string'],
  metadata: [3, ContainerMetadata],
  image: [4, ImageSpec],
  imageRef: [5, 'string'],
  state: [6, 'enum'],
  createdAt: [7, 'int64'],
  labels: [8, 'map'],
} as const satisfies Schema;
const ContainerStatus = {
  id: [1, 'string'],
  metadata: [2, ContainerMetadata],
  state: [3, 'enum'],
  createdAt: [4, 'int64'],
  startedAt: [5, 'int64'],
  finishedAt: [6, 'int64'],
  exitCode: [7, 'int32'],
  image: [8, ImageSpec],
  imageRef: [9, 'string'],
  reason: [10, 'string'],
  message: [11, 'string'],
  labels: [12, 'map'],
  logPath: [15, 'string'],
} as const satisfies Schema;

/** Request and response tables of every method the driver calls, by `/service/method` path. */
export const METHODS = {
  Version: {
    path: '/runtime.v1.RuntimeService/Version',
    req: { version: [1, 'string'] },
    res: {
      version: [1, 'string'],
      runtimeName: [2, 'string'],
      runtimeVersion: [3, 'string'],
      runtimeApiVersion: [4, 'string'],
    },
  },
  RunPodSandbox: {
    path: '/runtime.v1.RuntimeService/RunPodSandbox',
    req: { config: [1, PodSandboxConfig], runtimeHandler: [2, 'string'] },
    res: SandboxId,
  },
  StopPodSandbox: { path: '/runtime.v1.RuntimeService/StopPodSandbox', req: SandboxId, res: Empty },
  RemovePodSandbox: { path: '/runtime.v1.RuntimeService/RemovePodSandbox', req: SandboxId, res: Empty },
  PodSandboxStatus: {
    path: '/runtime.v1.RuntimeService/PodSandboxStatus',
    req: { podSandboxId: [1, 'string'], verbose: [2, 'bool'] },
    res: {
      status: [
        1,
        {
          id: [1, 'string'],
          metadata: [2, PodSandboxMetadata],
          state: [3, 'enum'],
          createdAt: [4, 'int64'],
          network: [5, { ip: [1, 'string'] }],
          labels: [7, 'map'],
        },
      ],
    },
  },
  ListPodSandbox: {
    path: '/runtime.v1.RuntimeService/ListPodSandbox',
    req: {
      filter: [1, { id: [1, 'string'], state: [2, { state: [1, 'enum'] }], labelSelector: [3, 'map'] }],
    },
    res: { items: [1, PodSandbox, 'repeated'] },
  },
  CreateContainer: {
    path: '/runtime.v1.RuntimeService/CreateContainer',
    req: {
      podSandboxId: [1, 'string'],
      config: [
        2,
        {
          metadata: [1, ContainerMetadata],
          image: [2, ImageSpec],
          command: [3, 'string', 'repeated'],
          args: [4, 'string', 'repeated'],
          workingDir: [5, 'string'],
          envs: [6, { key: [1, 'string'], value: [2, 'bytes'] }, 'repeated'],
          labels: [9, 'map'],
          annotations: [10, 'map'],
          logPath: [11, 'string'],
        },
      ],
      sandboxConfig: [3, PodSandboxConfig],
    },
    res: ContainerId,
  },
  StartContainer: { path: '/runtime.v1.RuntimeService/StartContainer', req: ContainerId, res: Empty },
  StopContainer: {
    path: '/runtime.v1.RuntimeService/StopContainer',
    req: { containerId: [1, 'string'], timeout: [2, 'int64'] },
    res: Empty,
  },
  RemoveContainer: { path: '/runtime.v1.RuntimeService/RemoveContainer', req: ContainerId, res: Empty },
  ListContainers: {
    path: '/runtime.v1.RuntimeService/ListContainers',
    req: {
      filter: [
        1,
        {
          id: [1, 'string'],
          state: [2, { state: [1, 'enum'] }],
          podSandboxId: [3, 'string'],
          labelSelector: [4, 'map'],
        },
      ],
    },
    res: { containers: [1, Container, 'repeated'] },
  },
  ContainerStatus: {
    path: '/runtime.v1.RuntimeService/ContainerStatus',
    req: { containerId: [1, 'string'], verbose: [2, 'bool'] },
    res: { status: [1, ContainerStatus], info: [2, 'map'] },
  },
  ExecSync: {
    path: '/runtime.v1.RuntimeService/ExecSync',
    req: { containerId: [1, 'string'], cmd: [2, 'string', 'repeated'], timeout: [3, 'int64'] },
    res: { stdout: [1, 'bytes'], stderr: [2, 'bytes'], exitCode: [3, 'int32'] },
  },
  ImageStatus: {
    path: '/runtime.v1.ImageService/ImageStatus',
    req: { image: [1, ImageSpec], verbose: [2, 'bool'] },
    res: {
      image: [
        1,
        {
          id: [1, 'string'],
          repoTags: [2, 'string', 'repeated'],
          repoDigests: [3, 'string', 'repeated'],
          size: [4, 'uint64'],
        },
      ],
    },
  },
  PullImage: {
    path: '/runtime.v1.ImageService/PullImage',
    req: { image: [1, ImageSpec], sandboxConfig: [3, PodSandboxConfig] },
    res: { imageRef: [1, 'string'] },
  },
} as const satisfies Record<string, { path: string; req: Schema; res: Schema }>;

export type Method = keyof typeof METHODS;

// ───────────────────────────── types from the tables ─────────────────────────────

type ScalarOf<T> = T extends 'string'
  ? string
  : T extends 'bytes'
    ? Uint8Array
    : T extends 'bool'
      ? boolean
      : T extends 'map'
        ? Record<string, string>
        : T extends Schema
          ? Msg<T>
          : number;
type FieldOf<F> = F extends readonly [number, infer T, 'repeated']
  ? ScalarOf<T>[]
  : F extends readonly [number, infer T]
    ? ScalarOf<T>
    : never;
/** A message of a schema: every field optional (what is absent is its default). */
export type Msg<S extends Schema> = { -readonly [K in keyof S]?: FieldOf<S[K]> };
export type Request<M extends Method> = Msg<(typeof METHODS)[M]['req']>;
export type Response<M extends Method> = Msg<(typeof METHODS)[M]['res']>;

/** Enums of api.proto the driver compares with. */
export const SandboxState = { READY: 0, NOTREADY: 1 } as const;
export const ContainerState = { CREATED: 0, RUNNING: 1, EXITED: 2, UNKNOWN: 3 } as const;

// ───────────────────────────── writer ─────────────────────────────

function varint(out: number[], value: bigint): void {
  let v = BigInt.asUintN(64, value);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
}

function lengthDelimited(parts: Buffer[], field: number, bytes: Uint8Array): void {
  const head: number[] = [];
  varint(head, BigInt((field << 3) | 2));
  varint(head, BigInt(bytes.length));
  parts.push(Buffer.from(head), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
}

function writeValue(parts: Buffer[], field: number, type: FieldType, value: unknown, always: boolean): void {
  if (type === 'map') {
    for (const [k, v] of Object.entries(value as Record<string, string>))
      lengthDelimited(
        parts,
        field,
        encode({ key: [1, 'string'], value: [2, 'string'] }, { key: k, value: v }),
      );
    return;
  }
  if (typeof type === 'object') return lengthDelimited(parts, field, encode(type, value as object));
  if (type === 'string' || type === 'bytes') {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : (value as Uint8Array);
    if (bytes.length > 0 || always) lengthDelimited(parts, field, bytes);
    return;
  }
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
  if (n === 0 && !always) return;
  const out: number[] = [];
  varint(out, BigInt(field << 3));
  varint(out, BigInt(Math.trunc(n)));
  parts.push(Buffer.from(out));
}

/** Encodes `value` by `schema`; defaults are not written (proto3), unknown keys are an error. */
export function encode(schema: Schema, value: object): Buffer {
  const parts: Buffer[] = [];
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    const def = schema[name];
    if (!def) throw new Error(`no field ${name} in this message`);
    const [field, type, repeated] = def;
    if (repeated) for (const item of v as unknown[]) writeValue(parts, field, type, item, true);
    else writeValue(parts, field, type, v, false);
  }
  return Buffer.concat(parts);
}

// ───────────────────────────── reader ─────────────────────────────

/** Decodes bytes by `schema`; fields not in the table are skipped (the server's newer fields). */
export function decode(schema: Schema, buf: Buffer): Record<string, unknown> {
  const byNumber = new Map<number, [string, FieldType, boolean]>();
  const out: Record<string, unknown> = {};
  for (const [name, [field, type, repeated]] of Object.entries(schema)) {
    byNumber.set(field, [name, type, repeated === 'repeated']);
    if (repeated) out[name] = [];
    else if (type === 'map') out[name] = {};
    else if (type === 'string') out[name] = '';
    else if (type === 'bytes') out[name] = Buffer.alloc(0);
    else if (type === 'bool') out[name] = false;
    else if (typeof type !== 'object') out[name] = 0;
  }
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = Number(readVarint());
    const field = key >>> 3;
    const wire = key & 7;
    const def = byNumber.get(field);
    let raw: bigint | Buffer;
    if (wire === 0) raw = readVarint();
    else if (wire === 2) {
      const len = Number(readVarint());
      if (pos + len > buf.length) throw new Error('truncated field');
      raw = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > buf.length) throw new Error('truncated field');
      continue;
    } else throw new Error(`unsupported wire type ${wire}`);
    if (!def) continue;
    const [name, type, repeated] = def;
    const value = readValue(type, raw);
    if (type === 'map') {
      const entry = value as { key: string; value: string };
      (out[name] as Record<string, string>)[entry.key] = entry.value;
    } else if (repeated) {
      // a packed repeated scalar is not used by any table here
      (out[name] as unknown[]).push(value);
    } else out[name] = value;
  }
  return out;
}

function readValue(type: FieldType, raw: bigint | Buffer): unknown {
  if (type === 'map') return decode({ key: [1, 'string'], value: [2, 'string'] }, asBytes(raw));
  if (typeof type === 'object') return decode(type, asBytes(raw));
  if (type === 'string') return asBytes(raw).toString('utf8');
  if (type === 'bytes') return Buffer.from(asBytes(raw));
  if (typeof raw !== 'bigint') throw new Error(`a ${type} field came length-delimited`);
  if (type === 'bool') return raw !== 0n;
  if (type === 'int32' || type === 'enum') return Number(BigInt.asIntN(32, raw));
  if (type === 'uint32') return Number(BigInt.asUintN(32, raw));
  if (type === 'int64') return Number(BigInt.asIntN(64, raw));
  return Number(BigInt.asUintN(64, raw));
}

function asBytes(raw: bigint | Buffer): Buffer {
  if (typeof raw === 'bigint') throw new Error('a length-delimited field came as a varint');
  return raw;
}
