import type { AccessTable } from '@edgeplane/service-kit';

/** The role each method of the grid service needs (docs/architecture.md, "Identity and authorization"). */
export const GRID_ACCESS: AccessTable = {
  'edgeplane.grid.v1.GridService/Apply': 'edit',
  'edgeplane.grid.v1.GridService/GetGrid': 'view',
  'edgeplane.grid.v1.GridService/ListGrids': 'view',
  'edgeplane.grid.v1.GridService/DeleteGrid': 'edit',
  'edgeplane.grid.v1.GridService/Render': 'view',
  'edgeplane.grid.v1.GridService/RolloutStatus': 'view',
  'edgeplane.grid.v1.GridService/Pause': 'edit',
  'edgeplane.grid.v1.GridService/Resume': 'edit',
  'edgeplane.grid.v1.GridService/Undo': 'edit',
  'edgeplane.grid.v1.GridService/ListPods': 'view',
  'edgeplane.grid.v1.GridService/GetPod': 'view',
};
