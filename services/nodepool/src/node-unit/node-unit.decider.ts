import type { Decider } from '@edgeplane/es-kit';
import { decideNodeUnit, type NodeUnitCommand } from './node-unit.decide.js';
import {
  evolveNodeUnit,
  initialNodeUnitState,
  type NodeUnitEvent,
  type NodeUnitState,
} from './node-unit.state.js';

export type { NodeUnitCommand } from './node-unit.decide.js';
export type { KinsCommand } from './kins.decide.js';
export type { ActiveUnitState, NodeUnitEvent, NodeUnitState } from './node-unit.state.js';

/** The NodeUnit aggregate (incl. its Kins lifecycle), stream `nodeunit:<clusterId>:<name>`. */
export const nodeUnitDecider: Decider<NodeUnitState, NodeUnitCommand, NodeUnitEvent> = {
  initialState: initialNodeUnitState,
  decide: decideNodeUnit,
  evolve: evolveNodeUnit,
};

export const nodeUnitStreamId = (clusterId: string, name: string) => `nodeunit:${clusterId}:${name}`;
