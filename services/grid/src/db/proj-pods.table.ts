/** One row per pod of every live grid, from the grid's fold: where it runs, or why it is Pending. */
export interface ProjPodsTable {
  cluster_id: string;
  name: string;
  grid: string;
  child: string;
  unit: string;
  node: string | null;
  reason: string;
  revision: string;
  updated_at: string;
}
