import type { Decider } from '@edgeplane/es-kit';
import { decideKins, type KinsCommand } from './node-unit.kins.decide.js';
import {
  createUnit,
  deleteUnit,
  ensureDefaultUnit,
  resolveUnitMembers,
  updateUnit,
  type UnitLifecycleCommand,
} from './node-unit.lifecycle.decide.js';
import {
  activeUnit,
  evolveNodeUnit,
  initialNodeUnitState,
  type NodeUnitEvent,
  type NodeUnitState,
} from './node-unit.state.js';

export type { KinsCommand } from './node-unit.kins.decide.js';
export type { UnitLifecycleCommand } from './node-unit.lifecycle.decide.js';
export type { ActiveUnitState, NodeUnitEvent, NodeUnitState } from './node-unit.state.js';

/**
 * The NodeUnit aggregate (`nodeunit:<clusterId>:<name>`), incl. its Kins lifecycle: its commands,
 * and the decider that routes each to its decision (lifecycle, Kins) over the state
 * `evolveNodeUnit` folds.
 */
export type NodeUnitCommand = UnitLifecycleCommand | KinsCommand;

function decide(command: NodeUnitCommand, state: NodeUnitState): NodeUnitEvent[] {
  switch (command.type) {
    case 'EnsureDefaultNodeUnit':
      return ensureDefaultUnit(command, state);
    case 'CreateNodeUnit':
      return createUnit(command, state);
    case 'UpdateNodeUnit':
      return updateUnit(command, activeUnit(state, command.name));
    case 'DeleteNodeUnit':
      return deleteUnit(command, state);
    case 'ResolveNodeUnitMembers':
      // Resolving the members of a unit deleted meanwhile changes nothing.
      if (state.status === 'deleted') return [];
      return resolveUnitMembers(command, activeUnit(state, command.name));
    case 'PromoteNodeUnit':
    case 'ReportKinsStatus':
    case 'EnableKinsPublicAccess':
    case 'DisableKinsPublicAccess':
    case 'DemoteNodeUnit':
      return decideKins(command, activeUnit(state, command.name));
  }
}

export const nodeUnitDecider: Decider<NodeUnitState, NodeUnitCommand, NodeUnitEvent> = {
  initialState: initialNodeUnitState,
  decide,
  evolve: evolveNodeUnit,
};

export const nodeUnitStreamId = (clusterId: string, name: string) => `nodeunit:${clusterId}:${name}`;
