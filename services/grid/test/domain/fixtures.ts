import {
  parseGridYaml,
  type Grid,
  type NodeView,
  type UnitView,
  type WorkloadGrid,
} from '../../src/domain/index.js';

export const DEPLOYMENT_GRID = `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: echo
  namespace: default
  labels: { app: echo }
spec:
  gridUniqKey: location
  template:
    replicas: 3
    selector:
      matchLabels: { app: echo }
    template:
      metadata:
        labels: { app: echo }
      spec:
        containers:
          - name: echo
            image: edgeplane/echo:1
            resources:
              requests: { cpu: 100m, memory: 64Mi }
`;

export function grid(text: string): Grid {
  const parsed = parseGridYaml(text);
  const first = parsed.grids[0];
  if (!first) throw new Error('no grid');
  return first.grid;
}

export function workload(text: string = DEPLOYMENT_GRID): WorkloadGrid {
  const g = grid(text);
  if (g.kind === 'ServiceGrid') throw new Error('not a workload grid');
  return g;
}

export function node(name: string, over: Partial<NodeView> = {}): NodeView {
  return {
    name,
    labels: {},
    taints: [],
    unschedulable: false,
    draining: false,
    verdict: 'Ready',
    allocatable: { cpuMilli: 2000, memoryBytes: 4 * 2 ** 30, pods: 110 },
    ...over,
  };
}

export function unit(
  name: string,
  nodes: NodeView[],
  labels: Record<string, string> = {},
  frozen = false,
): UnitView {
  return { name, labels, nodes, frozen };
}

/** SuperEdge's documented examples (superedge docs/components/serviceGroup.md; env lists shortened, a `status: {}` added). */
export const SUPEREDGE_EXAMPLES = `apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: deploymentgrid-demo
  namespace: default
spec:
  gridUniqKey: zone
  template:
    replicas: 2
    selector:
      matchLabels:
        appGrid: echo
    strategy: {}
    template:
      metadata:
        creationTimestamp: null
        labels:
          appGrid: echo
      spec:
        containers:
        - image: superedge/echoserver:2.2
          name: echo
          ports:
          - containerPort: 8080
            protocol: TCP
          env:
            - name: NODE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: spec.nodeName
          resources: {}
status: {}
---
apiVersion: superedge.io/v1
kind: ServiceGrid
metadata:
  name: servicegrid-demo
  namespace: default
spec:
  gridUniqKey: zone
  template:
    selector:
      appGrid: echo
    ports:
    - protocol: TCP
      port: 80
      targetPort: 8080
---
apiVersion: superedge.io/v1
kind: StatefulSetGrid
metadata:
  name: statefulsetgrid-demo
  namespace: default
spec:
  gridUniqKey: zone
  template:
    selector:
      matchLabels:
        appGrid: echo
    serviceName: "servicegrid-demo-svc"
    replicas: 3
    template:
      metadata:
        labels:
          appGrid: echo
      spec:
        terminationGracePeriodSeconds: 10
        containers:
        - image: superedge/echoserver:2.2
          name: echo
          ports:
          - containerPort: 8080
            protocol: TCP
          env:
            - name: NODE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: spec.nodeName
          resources: {}
`;
