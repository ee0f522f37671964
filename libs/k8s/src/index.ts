/**
 * Kubernetes conventions shared by the services, the CLI and (next) the edge agent: name, label
 * and taint syntax with kubectl-style argument parsing, Kubernetes' size limits (names, labels,
 * annotations) with a short preview for error messages, and the node side of a join (a CSR
 * naming the node; the private key never leaves the caller).
 */
export * from './syntax.js';
export * from './limits.js';
export * from './node-csr.js';
export * from './selector.js';
