/**
 * Kubernetes conventions shared by the services, the CLI and (next) the edge agent: name, label
 * and taint syntax with kubectl-style argument parsing, and the node side of a join (a CSR
 * naming the node; the private key never leaves the caller).
 */
export * from './syntax.js';
export * from './node-csr.js';
