// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface DeleteNodeUnitResponse {
}

export interface DeleteNodeUnitResponse__Output {
}
