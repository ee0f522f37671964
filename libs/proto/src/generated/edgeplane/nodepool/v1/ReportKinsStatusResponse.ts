// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ReportKinsStatusResponse {
}

export interface ReportKinsStatusResponse__Output {
}
