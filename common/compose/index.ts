// Compose files -> Kubernetes objects: load (read, interpolate, validate, merge) then convert.
export { loadComposeProject, type ComposeProject, type LoadOptions } from './project';
export { convertProject, namespaceOf, PROJECT_LABEL, SERVICE_LABEL, type Conversion, type ConvertOptions } from './convert';
export { isComposeFileName, isComposeText, looksLikeCompose } from './read';
