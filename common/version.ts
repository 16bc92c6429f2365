// The version every Kite program reports.
export const KITE_VERSION = '0.1.0';
