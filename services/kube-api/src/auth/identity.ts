/** Who is calling: from the client certificate (CN = user, O = groups), as kube-apiserver reads it. */
export interface Identity {
  user: string;
  groups: string[];
  /**
   * what the cluster service says the credential is: the admin's, a restricted credential of a
   * user (`edgeplane cluster kubeconfig --user --role`), or a node's
   */
  kind: 'admin' | 'user' | 'node';
  nodeName?: string;
  /** how it was presented: a client certificate, or a bearer token made from one */
  via?: 'certificate' | 'token';
  /** the certificate's SHA-256 fingerprint (lower-case hex) and serial */
  fingerprint?: string;
  serial?: string;
  /** when the certificate (or the token) stops being valid, ms since the epoch */
  validUntil?: number;
  /**
   * `platform`: a platform credential (client certificate of the platform CA, or a platform bearer
   * token made from one): good for the management API and every cluster, or only `clusters`
   */
  scope?: 'platform' | 'cluster';
  /** a platform credential limited to these clusters (certificate OU `cluster:<id>`); empty = all */
  clusters?: string[];
}
