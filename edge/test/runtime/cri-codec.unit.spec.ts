import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decode, encode, METHODS, type Schema } from '../../src/runtime/cri/codec.js';

const PROTO = fileURLToPath(new URL('../../src/runtime/cri/api.proto', import.meta.url));
const root = new protobuf.Root();
root.loadSync(PROTO, { keepCase: false });
const svc = (name: string) => root.lookupService(`runtime.v1.${name}`);
const asPlain = { longs: Number, enums: Number, defaults: true, bytes: Buffer } as const;

/** The protobufjs type of a method's request or response, and its service. */
function typeOf(method: string, which: 'req' | 'res'): protobuf.Type {
  for (const s of ['RuntimeService', 'ImageService']) {
    const m = svc(s).methods[method];
    if (m) return root.lookupType(which === 'req' ? m.requestType : m.responseType);
  }
  throw new Error(`no method ${method} in api.proto`);
}

/** Every field of a protobufjs type is in the codec table with the same number, and no other. */
function sameFields(type: protobuf.Type, schema: Schema, at: string): void {
  const ours = Object.entries(schema)
    .map(([name, [n]]) => `${name}=${n}`)
    .sort();
  const theirs = type.fieldsArray.map((f) => `${f.name}=${f.id}`).sort();
  expect(ours, at).toEqual(theirs);
  for (const f of type.fieldsArray) {
    const [, t, repeated] = schema[f.name]!;
    expect(Boolean(repeated), `${at}.${f.name} repeated`).toBe(f.repeated && !f.map);
    if (f.map) expect(t, `${at}.${f.name}`).toBe('map');
    else if (f.resolve().resolvedType instanceof protobuf.Type)
      sameFields(f.resolvedType as protobuf.Type, t as Schema, `${at}.${f.name}`);
    else if (f.resolvedType instanceof protobuf.Enum) expect(t, `${at}.${f.name}`).toBe('enum');
    else expect(t, `${at}.${f.name}`).toBe(f.type);
  }
}

const samples: Record<string, { req: object; res: object }> = {
  RunPodSandbox: {
    req: {
      config: {
        metadata: { name: 'web-1', uid: 'u-1', namespace: 'default', attempt: 0 },
        hostname: 'web-1',
        logDirectory: '/var/log/pods/x',
        portMappings: [{ protocol: 1, containerPort: 8080, hostPort: 30080, hostIp: '' }],
        labels: { 'edgeplane.io/managed': 'true', é: 'ü' },
        annotations: {},
        linux: {},
      },
      runtimeHandler: '',
    },
    res: { podSandboxId: 'abc' },
  },
  CreateContainer: {
    req: {
      podSandboxId: 's',
      config: {
        metadata: { name: 'web', attempt: 3 },
        image: { image: 'localhost/edgeplane/busybox-httpd:1' },
        command: ['/serve.sh'],
        args: ['a', ''],
        workingDir: '/',
        envs: [{ key: 'NODE_NAME', value: Buffer.from('n1') }],
        labels: { a: 'b' },
        logPath: 'web/3.log',
      },
      sandboxConfig: { metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 1 } },
    },
    res: { containerId: 'c1' },
  },
  ContainerStatus: {
    req: { containerId: 'c1', verbose: true },
    res: {
      status: {
        id: 'c1',
        metadata: { name: 'web', attempt: 2 },
        state: 2,
        createdAt: 1_795_875_172_000_000_000,
        startedAt: 1,
        finishedAt: 2,
        exitCode: -1,
        image: { image: 'i' },
        imageRef: 'sha256:x',
        reason: 'Error',
        message: 'm',
        labels: { k: 'v' },
        logPath: '/x/web/2.log',
      },
      info: { pid: '42' },
    },
  },
  ListPodSandbox: {
    req: { filter: { id: '', state: { state: 1 }, labelSelector: { 'edgeplane.io/pod-uid': 'u' } } },
    res: {
      items: [
        {
          id: 'a',
          metadata: { name: 'n', uid: 'u', namespace: 'd', attempt: 0 },
          state: 1,
          createdAt: 5,
          labels: {},
          annotations: { x: 'y' },
        },
        { id: 'b', state: 0, createdAt: 6, labels: { a: 'b' }, annotations: {} },
      ],
    },
  },
  ExecSync: {
    req: { containerId: 'c', cmd: ['test', '-f', '/x'], timeout: 3 },
    res: { stdout: Buffer.from('out'), stderr: Buffer.alloc(0), exitCode: 1 },
  },
  ImageStatus: {
    req: { image: { image: 'localhost/x:1' }, verbose: false },
    res: { image: { id: 'sha256:1', repoTags: ['localhost/x:1'], repoDigests: [], size: 2_130_607 } },
  },
};

describe('the cri codec speaks edge/src/runtime/cri/api.proto', () => {
  it('api.proto keeps the upstream field numbers of what it declares (kubernetes/cri-api runtime/v1)', () => {
    const text = readFileSync(PROTO, 'utf8');
    // a few anchors checked against the upstream file when this was written
    expect(text).toMatch(/string log_directory = 3;/);
    expect(text).toMatch(
      /map<string, string> labels = 6;\s*map<string, string> annotations = 7;\s*LinuxPodSandboxConfig linux = 8;/,
    );
    expect(text).toMatch(/string log_path = 11;/);
    expect(text).toMatch(/string log_path = 15;/);
    expect(text).toMatch(/PodSandboxConfig sandbox_config = 3;/);
  });

  it.each(Object.keys(METHODS))(
    '%s: every field of request and response, same numbers and types',
    (method) => {
      const m = METHODS[method as keyof typeof METHODS];
      sameFields(typeOf(method, 'req'), m.req, `${method} request`);
      sameFields(typeOf(method, 'res'), m.res, `${method} response`);
      const service = m.path.split('/')[1]!;
      expect(svc(service.replace('runtime.v1.', '')).methods[m.path.split('/')[2]!]).toBeDefined();
    },
  );

  it.each(Object.keys(samples))(
    '%s: what the driver sends decodes in protobufjs; what containerd sends decodes in the driver',
    (method) => {
      const m = METHODS[method as keyof typeof METHODS];
      const { req, res } = samples[method]!;
      const reqType = typeOf(method, 'req');
      const fromUs = reqType.toObject(reqType.decode(encode(m.req, req)), asPlain);
      expect(fromUs).toMatchObject(
        JSON.parse(
          JSON.stringify(req, (_k, v: unknown) =>
            v && (v as { type?: string }).type === 'Buffer' ? undefined : v,
          ),
        ),
      );
      const resType = typeOf(method, 'res');
      const wire = Buffer.from(resType.encode(resType.fromObject(res)).finish());
      const decoded = decode(m.res, wire);
      expect(decoded).toMatchObject(res);
      // and a field the driver does not know (a newer containerd) is skipped
      const extra = Buffer.concat([wire, Buffer.from([0xf8, 0x07, 0x01, 0x82, 0x08, 0x02, 0x68, 0x69])]);
      expect(decode(m.res, extra)).toMatchObject(res);
    },
  );

  it('refuses a field not in the table, and a truncated message', () => {
    expect(() => encode(METHODS.Version.req, { nope: 1 })).toThrow(/no field nope/);
    expect(() => decode(METHODS.Version.res, Buffer.from([0x0a, 0x05, 0x61]))).toThrow(/truncated/);
  });
});
