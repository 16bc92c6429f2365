// Original file: proto/kite/v1/agent.proto


export interface CertificateResponse {
  'certificate'?: (string);
  'ca'?: (string);
}

export interface CertificateResponse__Output {
  'certificate': (string);
  'ca': (string);
}
