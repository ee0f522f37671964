/**
 * foreign_layer_versions: per node and foreign layer (`nodepool-membership`, `health-verdict`), the
 * highest source-stream version applied (the events' `streamVersion`): full-state events, so a
 * late redelivery of an older one is skipped instead of overwriting a newer one.
 */
export interface ForeignLayerVersionsTable {
  cluster_id: string;
  node_name: string;
  source: string;
  version: number;
}
