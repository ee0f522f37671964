import type { KinsMode, KinsNode, PortRange } from './kins.rules.js';

/**
 * Kins lifecycle of one NodeUnit (part of the NodeUnit aggregate so that "an independent unit
 * cannot be deleted" is checked atomically with the delete):
 *
 *   none ──Promote──► promoting ──report running──► independent
 *                        │  ▲                          │
 *              report failed └──report running──┐      │ report failed
 *                        ▼                       │      ▼
 *                      failed ◄──────────────────┴── (any of promoting/independent/failed)
 *   promoting|independent|failed ──Demote──► demoting ──report uninstalled──► none
 *                                               └──report failed──► failed (demote again)
 */
export type KinsPhase = 'none' | 'promoting' | 'independent' | 'failed' | 'demoting';

export type KinsState =
  | { phase: 'none' }
  | {
      phase: Exclude<KinsPhase, 'none'>;
      generation: number;
      mode: KinsMode;
      kubernetesVersion: string;
      /** Nodes of the K3s cluster with their roles (joins/leaves applied). */
      nodes: KinsNode[];
      serviceCidr: string;
      clusterDns: string;
      nodePortRange: PortRange;
      kubeconfigs: { internal: string; public: string };
      /** Set while public access through the cloud proxy is on. */
      publicAccess?: { passwordHash: string };
      failureReason?: string;
      apiServerEndpoint?: string;
      k3sVersion?: string;
    };

export type ActiveKins = Exclude<KinsState, { phase: 'none' }>;

export const NO_KINS: KinsState = { phase: 'none' };
