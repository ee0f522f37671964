// Original file: edgeplane/grid/v1/grid.proto


export interface DeleteGridResponse {
}

export interface DeleteGridResponse__Output {
}
