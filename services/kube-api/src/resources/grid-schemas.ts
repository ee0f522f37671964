import { objectMetaSchema } from './resource.js';

/**
 * OpenAPI v3 schemas of superedge.io/v1 DeploymentGrid, StatefulSetGrid and ServiceGrid, as
 * SuperEdge's CRDs describe them plus Edgeplane's `overriders` and `rolloutStrategy`, so
 * `kubectl explain deploymentgrid.spec` prints the fields. The embedded Kubernetes specs list the
 * fields people write; anything deeper is kept (`x-kubernetes-preserve-unknown-fields`) and checked
 * by the grid service against the Kubernetes schemas.
 */
const str = (description: string) => ({ type: 'string', description });
const int = (description: string) => ({ type: 'integer', description });
const bool = (description: string) => ({ type: 'boolean', description });
const strList = (description: string) => ({ type: 'array', items: { type: 'string' }, description });
const stringMap = (description: string) => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});
const open = (description: string) => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
const quantityMap = (description: string) => ({
  type: 'object',
  additionalProperties: { 'x-kubernetes-int-or-string': true },
  description,
});

const labelSelector = {
  type: 'object',
  description: 'A label selector: matchLabels and matchExpressions are ANDed.',
  properties: {
    matchLabels: stringMap('{key,value} pairs that must all match.'),
    matchExpressions: {
      type: 'array',
      description: 'Label selector requirements.',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: {
          key: str('The label key.'),
          operator: str('In, NotIn, Exists or DoesNotExist.'),
          values: strList('Values for In / NotIn.'),
        },
      },
    },
  },
};

const container = {
  type: 'object',
  description: 'A container of the pod.',
  required: ['name'],
  properties: {
    name: str('Name of the container (DNS label), unique in the pod.'),
    image: str('Container image name.'),
    imagePullPolicy: str('Always, Never or IfNotPresent.'),
    command: strList('Entrypoint array (the image ENTRYPOINT when empty).'),
    args: strList('Arguments to the entrypoint.'),
    workingDir: str("Container's working directory."),
    env: {
      type: 'array',
      description: 'Environment variables to set in the container.',
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          name: str('Variable name.'),
          value: str('Variable value.'),
          valueFrom: open('Source.'),
        },
      },
    },
    ports: {
      type: 'array',
      description: 'Ports to expose from the container.',
      items: {
        type: 'object',
        required: ['containerPort'],
        properties: {
          name: str('IANA_SVC_NAME, referred to by services.'),
          containerPort: int('Port number on the pod IP.'),
          protocol: str('TCP (default), UDP or SCTP.'),
          hostPort: int('Port on the host.'),
        },
      },
    },
    resources: {
      type: 'object',
      description: 'Compute resources: requests (placement) and limits.',
      properties: {
        requests: quantityMap('Minimum resources required (cpu, memory).'),
        limits: quantityMap('Maximum resources allowed.'),
      },
    },
    readinessProbe: open('Periodic probe of container service readiness.'),
    livenessProbe: open('Periodic probe of container liveness.'),
    startupProbe: open('Probe that the container has started.'),
    volumeMounts: {
      type: 'array',
      description: 'Volumes to mount into the container.',
      items: open('A volume mount (name, mountPath, readOnly, subPath).'),
    },
    securityContext: open('Security options the container runs with.'),
  },
};

const podTemplate = {
  type: 'object',
  description: 'The pod template of each per-unit child.',
  properties: {
    metadata: {
      type: 'object',
      description: "The pods' metadata.",
      properties: {
        labels: stringMap('Labels of the pods (a ServiceGrid selects them).'),
        annotations: stringMap('Annotations of the pods.'),
      },
    },
    spec: {
      type: 'object',
      description: 'The pod spec. Placement stays inside the unit (a nodeSelector on the unit is added).',
      properties: {
        containers: { type: 'array', description: 'Containers of the pod (at least one).', items: container },
        initContainers: { type: 'array', description: 'Containers run before the others.', items: container },
        nodeSelector: stringMap('Node labels a node must have to run the pod (within the unit).'),
        tolerations: {
          type: 'array',
          description: 'Taints the pod tolerates.',
          items: {
            type: 'object',
            properties: {
              key: str('Taint key.'),
              operator: str('Exists or Equal.'),
              value: str('Taint value.'),
              effect: str('NoSchedule, PreferNoSchedule or NoExecute.'),
              tolerationSeconds: int('How long a NoExecute taint is tolerated.'),
            },
          },
        },
        affinity: open('Scheduling constraints.'),
        volumes: { type: 'array', description: 'Volumes of the pod.', items: open('A volume.') },
        restartPolicy: str('Always (default), OnFailure or Never.'),
        hostNetwork: bool("Use the host's network namespace."),
        terminationGracePeriodSeconds: int('Seconds to stop gracefully.'),
        serviceAccountName: str('Service account to run the pod as.'),
      },
      'x-kubernetes-preserve-unknown-fields': true,
    },
  },
};

const deploymentSpec = {
  type: 'object',
  description: 'A Deployment spec (apps/v1): one Deployment <grid>-<unit> is made from it per unit.',
  properties: {
    replicas: int('Pods per unit (default 1).'),
    selector: { ...labelSelector, description: 'Label query over pods (set by the grid when absent).' },
    template: podTemplate,
    strategy: open('How pods of a unit are replaced (RollingUpdate or Recreate).'),
    minReadySeconds: int('Seconds a pod must be ready to count as available.'),
    revisionHistoryLimit: int('Old ReplicaSets kept.'),
    progressDeadlineSeconds: int('Seconds for a unit to progress.'),
    paused: bool('Paused deployment.'),
  },
};

const statefulSetSpec = {
  type: 'object',
  description: 'A StatefulSet spec (apps/v1): one StatefulSet <grid>-<unit> is made from it per unit.',
  properties: {
    replicas: int('Pods per unit (default 1).'),
    serviceName: str('The governing Service (the ServiceGrid of the same name: <grid>-svc).'),
    selector: { ...labelSelector, description: 'Label query over pods (set by the grid when absent).' },
    template: podTemplate,
    podManagementPolicy: str('OrderedReady (default) or Parallel.'),
    updateStrategy: open('How pods are replaced.'),
    volumeClaimTemplates: { type: 'array', description: 'Claims each pod gets.', items: open('A claim.') },
    revisionHistoryLimit: int('Old revisions kept.'),
    minReadySeconds: int('Seconds a pod must be ready to count as available.'),
  },
};

const serviceSpec = {
  type: 'object',
  description: "A Service spec (v1): <grid>-svc, whose endpoints in each unit are that unit's pods only.",
  properties: {
    selector: stringMap('Pods this service routes to (required).'),
    ports: {
      type: 'array',
      description: 'Ports exposed by the service.',
      items: {
        type: 'object',
        required: ['port'],
        properties: {
          name: str('Name of the port.'),
          port: int('Port exposed by the service.'),
          targetPort: {
            'x-kubernetes-int-or-string': true,
            description: 'Port (number or name) on the pods.',
          },
          protocol: str('TCP (default), UDP or SCTP.'),
          nodePort: int('Port on every node (NodePort).'),
        },
      },
    },
    type: str('ClusterIP (default), NodePort, LoadBalancer or ExternalName.'),
    clusterIP: str('The service IP (None: headless).'),
    sessionAffinity: str('ClientIP or None.'),
  },
};

const unitMatcher = {
  unitSelector: { ...labelSelector, description: 'Units by their labels.' },
  units: strList('Units by name.'),
};

const overriders = {
  type: 'array',
  description:
    'Per-unit variants (Edgeplane): for the units matched, replicas, images, env and resources differ from the template.',
  items: {
    type: 'object',
    properties: {
      name: str('Name of the overrider.'),
      ...unitMatcher,
      replicas: int('Pods per matched unit.'),
      images: {
        type: 'array',
        description: 'Image per container.',
        items: { type: 'object', properties: { container: str('Container name.'), image: str('Image.') } },
      },
      env: {
        type: 'array',
        description: 'Environment variables set or removed.',
        items: {
          type: 'object',
          properties: {
            container: str('Container name (all when absent).'),
            name: str('Variable name.'),
            value: str('Variable value.'),
            remove: bool('Remove the variable instead.'),
          },
        },
      },
      resources: {
        type: 'array',
        description: 'Requests and limits per container.',
        items: {
          type: 'object',
          properties: {
            container: str('Container name (all when absent).'),
            requests: quantityMap('Requests.'),
            limits: quantityMap('Limits.'),
          },
        },
      },
    },
  },
};

const rolloutStrategy = {
  type: 'object',
  description: 'Staged rollout across units (Edgeplane): a new generation goes out wave by wave.',
  properties: {
    waves: {
      type: 'array',
      description: 'Explicit waves, in order; units of no wave go last.',
      items: { type: 'object', properties: { name: str('Name of the wave.'), ...unitMatcher } },
    },
    waveSize: { 'x-kubernetes-int-or-string': true, description: 'Units per wave (count or "25%").' },
    maxUnavailable: { 'x-kubernetes-int-or-string': true, description: 'Units allowed not ready at once.' },
    soakSeconds: int('Seconds a wave stays ready before the next starts (default 30).'),
    progressDeadlineSeconds: int('Seconds a wave may take before the rollout halts (default 600).'),
    paused: bool('Hold the next wave.'),
  },
};

function workloadSpec(kind: 'DeploymentGrid' | 'StatefulSetGrid') {
  const child = kind === 'DeploymentGrid' ? deploymentSpec : statefulSetSpec;
  return {
    type: 'object',
    description: `${kind}Spec: one ${kind === 'DeploymentGrid' ? 'Deployment' : 'StatefulSet'} per NodeUnit of the NodeGroup named by gridUniqKey.`,
    required: ['gridUniqKey'],
    properties: {
      gridUniqKey: str('The NodeGroup (node label key) whose units each get one child <grid>-<unit>.'),
      template: child,
      templatePool: {
        type: 'object',
        description: 'Named templates units may use instead of template (canary per unit).',
        additionalProperties: child,
      },
      templates: stringMap('Unit name → templatePool entry it runs.'),
      defaultTemplateName: str('The templatePool entry of units not in templates ("default": template).'),
      autoDeleteUnusedTemplate: bool('Drop pool entries no unit uses.'),
      overriders,
      rolloutStrategy,
    },
  };
}

export function gridSchema(kind: 'DeploymentGrid' | 'StatefulSetGrid' | 'ServiceGrid') {
  const spec =
    kind === 'ServiceGrid'
      ? {
          type: 'object',
          description: 'ServiceGridSpec: one Service whose endpoints stay inside each unit.',
          required: ['gridUniqKey', 'template'],
          properties: {
            gridUniqKey: str('The NodeGroup (node label key) whose units keep their traffic inside.'),
            template: serviceSpec,
          },
        }
      : workloadSpec(kind);
  const status =
    kind === 'ServiceGrid'
      ? {
          type: 'object',
          description: 'Endpoints per unit.',
          properties: {
            states: {
              type: 'object',
              description: 'Unit → endpoints.',
              additionalProperties: open('Endpoints.'),
            },
            units: int('Units.'),
          },
        }
      : {
          type: 'object',
          description: 'Children per unit and the rollout.',
          properties: {
            states: {
              type: 'object',
              description: 'Unit → its child (name, revision, replicas, scheduledReplicas, pendingReplicas).',
              additionalProperties: open('The child of a unit.'),
            },
            rollout: open('The staged rollout (generation, state, updatedUnits, totalUnits, message).'),
            units: int('Units with a child.'),
          },
        };
  return {
    type: 'object',
    description:
      kind === 'ServiceGrid'
        ? 'ServiceGrid is a Service whose endpoints in each NodeUnit are the pods of that unit only.'
        : `${kind} fans one workload out to every NodeUnit of a NodeGroup, each child placed inside its unit.`,
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: {
        ...objectMetaSchema,
        properties: {
          ...objectMetaSchema.properties,
          namespace: str('Namespace of the object.'),
          generation: int('Generation of the spec.'),
        },
      },
      spec,
      status,
    },
    'x-kubernetes-group-version-kind': [{ group: 'superedge.io', version: 'v1', kind }],
  };
}
