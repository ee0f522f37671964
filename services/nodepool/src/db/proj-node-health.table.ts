/** The health-arbiter's latest verdict per node (NodeVerdictChanged), for unit status. */
export interface ProjNodeHealthTable {
  cluster_id: string;
  node: string;
  verdict: string;
  /** the verdict's own time; an older verdict never overwrites a newer one */
  at: string;
}
