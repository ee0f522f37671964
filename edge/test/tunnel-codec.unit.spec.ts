import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeChunk, decodeGatewayFrame, encodeAgentFrame, encodeChunk } from '../src/tunnel/codec.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const root = new protobuf.Root();
root.loadSync(path.join(REPO, 'proto/edgeplane/tunnel/v1/tunnel.proto'), { keepCase: false });
const AgentFrame = root.lookupType('edgeplane.tunnel.v1.AgentFrame');
const GatewayFrame = root.lookupType('edgeplane.tunnel.v1.GatewayFrame');
const Chunk = root.lookupType('edgeplane.tunnel.v1.Chunk');
// what the shared loader hands out (LOADER_OPTIONS): defaults, enums by name, the oneof named
const asLoaded = { longs: String, enums: String, defaults: true, oneofs: true, bytes: Buffer } as const;

/**
 * The agent's hand-written codec against protobufjs loading proto/ itself: what the agent sends
 * decodes to the same message on the gateway, and what the gateway sends decodes on the agent to
 * the generated `__Output` shape. A field added to the .proto without the codec fails here.
 */
describe('the agent codec speaks proto/edgeplane/tunnel/v1/tunnel.proto', () => {
  const agentFrames = [
    {
      hello: {
        nodeName: 'edge-a',
        agentVersion: '0.1.0',
        ips: ['10.0.0.1', 'fe80::1'],
        probePort: 51005,
        desiredVersion: 'abc',
        proxyPort: 8080,
      },
    },
    { hello: { nodeName: '', agentVersion: '', ips: [], probePort: 0, desiredVersion: '', proxyPort: 0 } },
    { heartbeat: { nodeName: 'édge-ü', seq: 4_000_000_000, sentAt: '2026-11-28T10:00:00.000Z' } },
    {
      probeReport: {
        reporter: 'a',
        sentAt: 't',
        results: [
          { peer: 'b', healthy: true, probedAt: 't1', latencyMs: 3 },
          { peer: 'c', healthy: false, probedAt: '', latencyMs: -1 },
        ],
      },
    },
    {
      nodeStatus: {
        nodeName: 'a',
        desiredVersion: 'v',
        servingCached: true,
        pods: [{ namespace: 'ns', name: 'p', phase: 'Running' }],
      },
    },
    { streamFailed: { streamId: 's1', code: 'NOT_FOUND', message: 'no such target' } },
    {
      podStatusReport: {
        nodeName: 'a',
        sentAt: 't',
        desiredVersion: 'v1',
        runtime: 'process',
        allocatable: { cpuMilli: 2500, memoryMib: 4096, pods: 110 },
        pods: [
          {
            uid: 'u-1',
            name: 'web-bj-0',
            namespace: 'default',
            phase: 'Pending',
            ready: false,
            restarts: 2,
            podIp: '10.244.1.5',
            reason: 'ErrImagePull',
            message: 'image localhost/nope:1 not found',
            containers: [
              {
                name: 'web',
                image: 'localhost/nope:1',
                state: 'waiting',
                reason: 'ErrImagePull',
                message: 'not found',
                exitCode: -1,
                restartCount: 2,
                ready: false,
                startedAt: 's',
                finishedAt: 'f',
              },
            ],
          },
          { uid: 'u-2', name: 'p', namespace: 'ns', phase: 'Running', ready: true, containers: [] },
        ],
      },
    },
    { podStatusReport: { nodeName: '', sentAt: '', pods: [] } },
    { podStatusReport: { nodeName: 'b', sentAt: '', pods: [], allocatable: { cpuMilli: 0, memoryMib: 1 } } },
  ];

  it('encodes every agent frame as protobufjs decodes it', () => {
    for (const frame of agentFrames) {
      const decoded = AgentFrame.toObject(AgentFrame.decode(encodeAgentFrame(frame)), asLoaded);
      const expected = AgentFrame.toObject(AgentFrame.fromObject(frame), asLoaded);
      expect(decoded).toEqual(expected);
    }
  });

  const gatewayFrames = [
    {
      welcome: {
        nodeName: 'edge-a',
        clusterId: 'cls-1',
        replica: 'r1',
        settings: { heartbeatPeriodSeconds: 10, probePeriodSeconds: 10, probeTimeoutMs: 2000 },
      },
    },
    { welcome: { nodeName: 'x', clusterId: '', replica: '' } },
    {
      desiredState: {
        version: '0123456789abcdef',
        peers: [
          { name: 'b', address: '10.0.0.2:51005' },
          { name: 'c', address: '[fe80::2]:51005' },
        ],
        remoteLogin: true,
        settings: { heartbeatPeriodSeconds: 1, probePeriodSeconds: 2, probeTimeoutMs: 3 },
        generatedAt: 'now',
      },
    },
    { desiredState: { version: 'v', peers: [], remoteLogin: false, generatedAt: '' } },
    {
      desiredState: {
        version: 'v2',
        peers: [],
        remoteLogin: false,
        generatedAt: 'now',
        runtime: 'cri',
        pods: [
          {
            name: 'web-bj-0',
            namespace: 'default',
            uid: 'u-1',
            restartPolicy: 'Always',
            labels: { 'edgeplane.io/grid': 'web', 'edgeplane.io/unit': 'beijing' },
            terminationGracePeriodSeconds: 5,
            grid: 'web',
            unit: 'beijing',
            revision: 'r1',
            containers: [
              {
                name: 'web',
                image: 'localhost/edgeplane/busybox-httpd:1',
                imagePullPolicy: 'IfNotPresent',
                command: ['httpd', '-f'],
                args: ['-p', '8080', ''],
                env: [
                  { name: 'PORT', value: '8080' },
                  { name: 'EMPTY', value: '' },
                ],
                workingDir: '/srv',
                ports: [{ containerPort: 8080, hostPort: 18080, protocol: 'TCP', name: 'http' }],
                readinessProbe: {
                  httpGet: { path: '/healthz', port: 8080 },
                  initialDelaySeconds: 1,
                  periodSeconds: 2,
                  timeoutSeconds: 1,
                  failureThreshold: 3,
                  successThreshold: 1,
                },
                livenessProbe: { exec: { command: ['true'] } },
                resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              },
              { name: 'side', image: 'x', readinessProbe: { tcpSocket: { port: 9 } } },
            ],
          },
          { name: 'p', namespace: 'ns', uid: 'u-2', containers: [{ name: 'c', image: 'i' }] },
        ],
      },
    },
    {
      desiredState: {
        version: 'v3',
        peers: [],
        remoteLogin: false,
        generatedAt: 'now',
        services: [
          {
            name: 'echo-svc',
            namespace: 'shop',
            grid: 'echo',
            unit: 'beijing',
            ports: [
              { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
              { name: '', port: 53, targetPort: 0, protocol: 'UDP' },
            ],
            endpoints: [
              { ip: '10.0.1.5', pod: 'echo-beijing-0', node: 'bj-1' },
              { ip: 'fd00::5', pod: 'echo-beijing-1', node: 'bj-2' },
            ],
          },
          { name: 'empty-svc', namespace: '', grid: 'empty', unit: 'beijing', ports: [], endpoints: [] },
        ],
      },
    },
    { openStream: { streamId: 'id', kind: 'STREAM_KIND_RELAY', target: 'ssh', origin: 'operator' } },
    { openStream: { streamId: 'id', kind: 'STREAM_KIND_PROXY', target: '10.0.0.2:80', origin: 'edge-b' } },
    {
      openStream: {
        streamId: 'id',
        kind: 'STREAM_KIND_POD_LOGS',
        target: 'pod-logs',
        origin: 'operator',
        pod: {
          namespace: 'default',
          name: 'hello-beijing-0',
          uid: 'abc',
          container: 'web',
          follow: true,
          tailLines: -1,
          timestamps: true,
          previous: true,
          limitBytes: '1048576',
        },
      },
    },
    {
      openStream: {
        streamId: 'id',
        kind: 'STREAM_KIND_POD_EXEC',
        target: 'pod-exec',
        origin: 'operator',
        pod: { namespace: 'x', name: 'y', command: ['sh', '-c', 'echo é', ''], timeoutSeconds: 30, stdin: true },
      },
    },
  ];

  it('decodes every gateway frame to the generated __Output shape', () => {
    for (const frame of gatewayFrames) {
      const bytes = Buffer.from(GatewayFrame.encode(GatewayFrame.fromObject(frame)).finish());
      expect(decodeGatewayFrame(bytes)).toEqual(GatewayFrame.toObject(GatewayFrame.decode(bytes), asLoaded));
    }
  });

  it('carries sub-stream chunks both ways, the half-close flag included', () => {
    for (const chunk of [
      { data: Buffer.from('hello') },
      { data: Buffer.alloc(70_000, 7), fin: false },
      { data: Buffer.alloc(0), fin: true },
    ]) {
      const mine = encodeChunk(chunk);
      expect(Chunk.toObject(Chunk.decode(mine), asLoaded)).toEqual(
        Chunk.toObject(Chunk.fromObject(chunk), asLoaded),
      );
      const theirs = Buffer.from(Chunk.encode(Chunk.fromObject(chunk)).finish());
      expect(decodeChunk(theirs)).toEqual(Chunk.toObject(Chunk.decode(theirs), asLoaded));
    }
  });

  it('skips fields it does not know (a newer gateway)', () => {
    const known = Buffer.from(GatewayFrame.encode(GatewayFrame.fromObject(gatewayFrames[4]!)).finish());
    const unknownField = Buffer.from([(14 << 3) | 2, 3, 1, 2, 3, (15 << 3) | 0, 0x80, 0x01]);
    expect(decodeGatewayFrame(Buffer.concat([unknownField, known]))).toEqual(decodeGatewayFrame(known));
  });
});
