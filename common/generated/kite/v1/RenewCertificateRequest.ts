// Original file: proto/kite/v1/agent.proto


export interface RenewCertificateRequest {
  'csr'?: (string);
}

export interface RenewCertificateRequest__Output {
  'csr': (string);
}
