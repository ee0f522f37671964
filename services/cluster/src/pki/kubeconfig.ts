import { stringify } from 'yaml';

/**
 * Renders the admin kubeconfig (F-CL-5) a user downloads: the cluster CA, the API server address
 * and the admin client certificate and key, all embedded as base64 `*-data` fields.
 */
export function renderAdminKubeconfig(input: {
  clusterName: string;
  server: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  user?: string;
}): string {
  const cluster = input.clusterName;
  const user = input.user ?? `${cluster}-admin`;
  const context = `${user}@${cluster}`;
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: { server: input.server, 'certificate-authority-data': b64(input.caCertPem) },
      },
    ],
    users: [
      {
        name: user,
        user: {
          'client-certificate-data': b64(input.clientCertPem),
          'client-key-data': b64(input.clientKeyPem),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
  });
}
