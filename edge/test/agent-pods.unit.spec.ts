import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../src/agent/config.js';
import { DesiredStateCache, parseCacheFile } from '../src/agent/desired-state.js';
import { podsFromTunnel, podStateOf, reportKey } from '../src/agent/pods.js';
import { validatePodSpec } from '../src/runtime/index.js';
import type { PodStatus } from '../src/runtime/types.js';
import { decodeGatewayFrame } from '../src/tunnel/codec.js';
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const root = new protobuf.Root();
root.loadSync(path.join(REPO, 'proto/edgeplane/tunnel/v1/tunnel.proto'), { keepCase: false });
const GatewayFrame = root.lookupType('edgeplane.tunnel.v1.GatewayFrame');

const wirePod = {
  name: 'web-beijing-0',
  namespace: 'default',
  uid: 'a1b2',
  restartPolicy: 'Never',
  labels: { 'edgeplane.io/grid': 'web' },
  grid: 'web',
  unit: 'beijing',
  revision: 'r1',
  containers: [
    {
      name: 'web',
      image: 'localhost/edgeplane/busybox-httpd:1',
      command: ['httpd', '-f'],
      env: [{ name: 'PORT', value: '8080' }],
      ports: [{ containerPort: 8080, name: 'http' }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 },
      livenessProbe: { exec: { command: ['true'] } },
      resources: { requests: { cpu: '100m' } },
    },
  ],
};

describe('the agent side of pods', () => {
  it('turns the pods of a DesiredState frame into runtime pod specs the runtime accepts', () => {
    const bytes = Buffer.from(
      GatewayFrame.encode(
        GatewayFrame.fromObject({ desiredState: { version: 'v', pods: [wirePod] } }),
      ).finish(),
    );
    const [pod] = podsFromTunnel(decodeGatewayFrame(bytes).desiredState!.pods);
    expect(pod).toEqual({
      name: 'web-beijing-0',
      namespace: 'default',
      uid: 'a1b2',
      restartPolicy: 'Never',
      labels: { 'edgeplane.io/grid': 'web' },
      containers: [
        {
          name: 'web',
          image: 'localhost/edgeplane/busybox-httpd:1',
          command: ['httpd', '-f'],
          env: [{ name: 'PORT', value: '8080' }],
          ports: [{ containerPort: 8080, name: 'http' }],
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 },
          livenessProbe: { exec: { command: ['true'] } },
        },
      ],
    });
    expect(() => validatePodSpec(pod!)).not.toThrow();
  });

  it('reports a pod status bounded, with restarts summed, and keys reports without timestamps', () => {
    const status: PodStatus = {
      uid: 'u',
      name: 'p',
      namespace: 'default',
      phase: 'Pending',
      ready: false,
      reason: 'ErrImagePull',
      message: 'x'.repeat(5000),
      containers: [
        { name: 'a', image: 'i', state: 'waiting', reason: 'ErrImagePull', restartCount: 2, ready: false },
        {
          name: 'b',
          image: 'i',
          state: 'running',
          restartCount: 1,
          ready: true,
          startedAt: '2026-11-28T10:00:00.000Z',
        },
      ],
    };
    const state = podStateOf(status);
    expect(state).toMatchObject({ restarts: 3, reason: 'ErrImagePull', phase: 'Pending' });
    expect(state.message).toHaveLength(1024);
    const later = podStateOf({
      ...status,
      containers: status.containers.map((c) => ({ ...c, startedAt: '2026-11-28T11:00:00.000Z' })),
    });
    expect(reportKey([later])).toBe(reportKey([state]));
    expect(reportKey([podStateOf({ ...status, phase: 'Running' })])).not.toBe(reportKey([state]));
  });

  it('reads runtime settings from agent.json: default none, cri needs its socket', () => {
    const base = { clusterId: 'c', nodeName: 'n', tunnelAddress: '127.0.0.1:50444' };
    const none = parseAgentConfig(base);
    expect(none.ok && none.config.runtime).toEqual({ driver: 'none', periodMs: 1000 });
    const proc = parseAgentConfig({ ...base, runtime: { driver: 'process', periodMs: 300 } });
    expect(proc.ok && proc.config.runtime).toEqual({ driver: 'process', periodMs: 300 });
    const cri = parseAgentConfig({ ...base, runtime: { driver: 'cri' } });
    expect(cri).toEqual({ ok: false, problems: ['runtime.criSocket: is required with driver cri'] });
    const bad = parseAgentConfig({ ...base, runtime: { driver: 'docker' } });
    expect(bad.ok).toBe(false);
  });

  it('caches the pods with the desired state; an older cache without pods still loads', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agent-pods-'));
    const identity = { clusterId: 'c', nodeName: 'n' };
    const cache = new DesiredStateCache(dir, identity);
    const desired = {
      version: 'v1',
      peers: [],
      remoteLogin: false,
      settings: { heartbeatPeriodSeconds: 10, probePeriodSeconds: 10, probeTimeoutMs: 2000 },
      generatedAt: 'now',
      pods: podsFromTunnel(
        decodeGatewayFrame(
          Buffer.from(
            GatewayFrame.encode(
              GatewayFrame.fromObject({ desiredState: { version: 'v', pods: [wirePod] } }),
            ).finish(),
          ),
        ).desiredState!.pods,
      ),
      runtime: 'process',
      services: [],
    };
    cache.save(desired);
    expect(cache.load()).toEqual(desired);
    const { pods: _pods, runtime: _runtime, ...old } = desired;
    writeFileSync(path.join(dir, 'desired.json'), JSON.stringify({ ...identity, desired: old }));
    expect(cache.load()).toEqual({ ...old, pods: [] });
    expect(parseCacheFile({ ...identity, desired: { ...old, pods: [{ no: 'uid' }] } })).toBeUndefined();
  });
});
