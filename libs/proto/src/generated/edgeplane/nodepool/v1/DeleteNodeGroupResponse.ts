// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface DeleteNodeGroupResponse {
}

export interface DeleteNodeGroupResponse__Output {
}
