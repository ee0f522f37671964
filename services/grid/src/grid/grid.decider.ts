import type { Decider } from '@edgeplane/es-kit';
import { decideGrid, type GridCommand } from './grid.decide.js';
import { evolveGrid, initialGridState, type GridEvent, type GridState } from './grid.state.js';

export type { GridCommand } from './grid.decide.js';
export type { ActiveGridState, GridEvent, GridState } from './grid.state.js';

/** The Grid aggregate, stream `grid:<clusterId>:<name>`. */
export const gridDecider: Decider<GridState, GridCommand, GridEvent> = {
  initialState: initialGridState,
  decide: decideGrid,
  evolve: evolveGrid,
};

export const gridStreamId = (clusterId: string, name: string) => `grid:${clusterId}:${name}`;
