// Original file: proto/kite/v1/agent.proto


export interface ClaimVolume {
  'claim_name'?: (string);
  'path'?: (string);
}

export interface ClaimVolume__Output {
  'claim_name': (string);
  'path': (string);
}
