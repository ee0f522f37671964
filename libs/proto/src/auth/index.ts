// What clients need (the CLI, tests, tools) without the service kit's Nest side.
export * from './x509.js';
export * from './pki.js';
export * from './client-credentials.js';
