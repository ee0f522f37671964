// Transport-independent core of the cluster service: deciders, PKI, reference data, providers.
export * from './reference-data/reference-data.js';
export * from './network/cidr.js';
export * from './cluster/cluster.decider.js';
export * from './join-token/join-token.decider.js';
export * from './join-token/join-token.secret.js';
export * from './join-token/join-command.js';
export * from './node/kubernetes-syntax.js';
export * from './node/node.decider.js';
export * from './node/node.timeline.js';
export * from './pki/pki.js';
export * from './pki/kubeconfig.js';
export * from './pki/node-authorization.js';
export * from './providers/machine-provider.js';
export * from './providers/local.provider.js';
