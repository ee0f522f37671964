import type { gridSchemas } from '@edgeplane/contracts';
import { describe, expect, it } from 'vitest';
import { MAX_PODS_PER_NODE, podsDigest, podSpecsOf, podUid } from '../src/gateway/pod-specs.js';
import { reportDigest, reportedPods } from '../src/gateway/pod-status.js';
import type { PodStatusReport } from '../src/gateway/frames.js';

const assignment = (
  pod: string,
  spec: Record<string, unknown>,
  revision = 'r1',
): gridSchemas.PodAssignment => ({
  grid: 'web',
  kind: 'DeploymentGrid',
  child: 'web-beijing',
  unit: 'beijing',
  pod,
  revision,
  spec,
});

const k8sSpec = {
  restartPolicy: 'OnFailure',
  terminationGracePeriodSeconds: 5,
  nodeSelector: { zone: 'a' },
  containers: [
    {
      name: 'web',
      image: 'localhost/edgeplane/busybox-httpd:1',
      imagePullPolicy: 'Never',
      command: ['httpd'],
      args: ['-f', '-p', '8080'],
      env: [
        { name: 'PORT', value: '8080' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2 },
      livenessProbe: { tcpSocket: { port: 8080 }, failureThreshold: 3 },
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: 134217728 } },
    },
  ],
};

describe('NodePodsAssigned → the tunnel PodSpec', () => {
  it('maps a rendered Kubernetes pod spec to what the agent runs', () => {
    const [pod] = podSpecsOf('cls-1', 'bj-1', [assignment('web-beijing-0', k8sSpec)]);
    expect(pod).toEqual({
      name: 'web-beijing-0',
      namespace: 'default',
      uid: podUid('cls-1', 'bj-1', assignment('web-beijing-0', k8sSpec)),
      restartPolicy: 'OnFailure',
      terminationGracePeriodSeconds: 5,
      labels: {
        'edgeplane.io/grid': 'web',
        'edgeplane.io/child': 'web-beijing',
        'edgeplane.io/unit': 'beijing',
        'edgeplane.io/revision': 'r1',
      },
      grid: 'web',
      unit: 'beijing',
      revision: 'r1',
      containers: [
        {
          name: 'web',
          image: 'localhost/edgeplane/busybox-httpd:1',
          imagePullPolicy: 'Never',
          command: ['httpd'],
          args: ['-f', '-p', '8080'],
          // valueFrom (a secret) never travels in the desired state
          env: [{ name: 'PORT', value: '8080' }],
          workingDir: '',
          ports: [{ containerPort: 8080, hostPort: 0, protocol: 'TCP', name: 'http' }],
          // a named port is resolved against the container's ports
          readinessProbe: {
            exec: null,
            httpGet: { path: '/healthz', port: 8080 },
            tcpSocket: null,
            initialDelaySeconds: 0,
            periodSeconds: 2,
            timeoutSeconds: 0,
            failureThreshold: 0,
            successThreshold: 0,
          },
          livenessProbe: {
            exec: null,
            httpGet: null,
            tcpSocket: { port: 8080 },
            initialDelaySeconds: 0,
            periodSeconds: 0,
            timeoutSeconds: 0,
            failureThreshold: 3,
            successThreshold: 0,
          },
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '134217728' } },
        },
      ],
    });
  });

  it('gives a pod a new uid on another node or revision, the same one otherwise', () => {
    const a = assignment('p', k8sSpec);
    expect(podUid('c', 'n1', a)).toBe(podUid('c', 'n1', { ...a }));
    expect(podUid('c', 'n2', a)).not.toBe(podUid('c', 'n1', a));
    expect(podUid('c', 'n1', { ...a, revision: 'r2' })).not.toBe(podUid('c', 'n1', a));
    expect(podUid('c', 'n1', a)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('bounds pods per node, containers and strings; garbage fields become defaults', () => {
    const many = Array.from({ length: MAX_PODS_PER_NODE + 10 }, (_, i) => assignment(`p-${i}`, k8sSpec));
    expect(podSpecsOf('c', 'n', many)).toHaveLength(MAX_PODS_PER_NODE);
    const odd = podSpecsOf('c', 'n', [
      assignment('odd', {
        containers: [...Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, image: 'x'.repeat(600) }))],
        restartPolicy: 42,
        terminationGracePeriodSeconds: -1,
      }),
    ])[0]!;
    expect(odd.containers).toHaveLength(16);
    expect(odd.containers[0]!.image).toHaveLength(512);
    expect(odd.restartPolicy).toBe('');
    expect(odd.terminationGracePeriodSeconds).toBe(0);
  });

  it('sorts pods by uid and digests content (equal pods, equal digest)', () => {
    const list = [assignment('b', k8sSpec), assignment('a', k8sSpec)];
    const pods = podSpecsOf('c', 'n', list);
    expect(pods.map((p) => p.uid)).toEqual([...pods.map((p) => p.uid)].sort());
    expect(podsDigest(podSpecsOf('c', 'n', [...list].reverse()))).toBe(podsDigest(pods));
    expect(podsDigest(podSpecsOf('c', 'n', [assignment('a', k8sSpec)]))).not.toBe(podsDigest(pods));
  });
});

describe('PodStatusReport → NodePodsStatusReported', () => {
  const [spec] = podSpecsOf('c', 'n', [assignment('web-0', k8sSpec)]);
  const assigned = new Map([[spec!.uid, spec!]]);
  const report = (pods: PodStatusReport['pods']): PodStatusReport => ({
    nodeName: '',
    sentAt: '',
    desiredVersion: 'v',
    runtime: 'process',
    pods,
  });
  const state = (over: Partial<PodStatusReport['pods'][number]> = {}): PodStatusReport['pods'][number] => ({
    uid: spec!.uid,
    name: 'web-0',
    namespace: 'default',
    phase: 'Pending',
    ready: false,
    restarts: 1,
    podIp: '',
    reason: 'ErrImagePull',
    message: 'image localhost/nope:1 not found',
    containers: [
      {
        name: 'web',
        image: 'localhost/nope:1',
        state: 'waiting',
        reason: 'ErrImagePull',
        message: 'not found',
        exitCode: 0,
        restartCount: 1,
        ready: false,
        startedAt: '',
        finishedAt: '',
      },
    ],
    ...over,
  });

  it('keeps assigned pods with their grid, unit and revision; empty wire values are absent', () => {
    const { pods, unassigned } = reportedPods(report([state()]), assigned);
    expect(unassigned).toEqual([]);
    expect(pods).toEqual([
      {
        uid: spec!.uid,
        name: 'web-0',
        namespace: 'default',
        phase: 'Pending',
        ready: false,
        restarts: 1,
        reason: 'ErrImagePull',
        message: 'image localhost/nope:1 not found',
        grid: 'web',
        unit: 'beijing',
        revision: 'r1',
        containers: [
          {
            name: 'web',
            image: 'localhost/nope:1',
            state: 'waiting',
            reason: 'ErrImagePull',
            message: 'not found',
            restartCount: 1,
            ready: false,
          },
        ],
      },
    ]);
  });

  it('drops pods that are not assigned (unknown uid, or a known uid under another name)', () => {
    const { pods, unassigned } = reportedPods(
      report([state({ uid: 'stranger' }), state({ name: 'other' }), state()]),
      assigned,
    );
    expect(unassigned).toEqual(['stranger', spec!.uid]);
    expect(pods).toHaveLength(1);
  });

  it('digests the content: a change of phase or assignment version is a new report', () => {
    const a = reportedPods(report([state()]), assigned).pods;
    const b = reportedPods(report([state({ phase: 'Running', ready: true })]), assigned).pods;
    expect(reportDigest(a, 1)).toBe(reportDigest(reportedPods(report([state()]), assigned).pods, 1));
    expect(reportDigest(b, 1)).not.toBe(reportDigest(a, 1));
    expect(reportDigest(a, 2)).not.toBe(reportDigest(a, 1));
    // the node's allocatable is part of the report: a new size is news, the same size is not
    const size = { cpuMilli: 2000, memoryBytes: 2 ** 32, pods: 110 };
    expect(reportDigest(a, 1, size)).not.toBe(reportDigest(a, 1));
    expect(reportDigest(a, 1, size)).toBe(reportDigest(a, 1, { ...size }));
    expect(reportDigest(a, 1, { ...size, cpuMilli: 1000 })).not.toBe(reportDigest(a, 1, size));
  });
});
