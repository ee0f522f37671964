/** Injection tokens of the kube-api service (Nest: always `@Inject(TOKEN)`, tsx emits no metadata). */
export const UPSTREAM = Symbol('kube-api.upstream');
export const SERVING_TLS = Symbol('kube-api.serving-tls');
