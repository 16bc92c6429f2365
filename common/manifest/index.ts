// Manifests: parsing, validation, defaulting, quantities and selectors, shared by the CLI and the controller.
export { MAX_MANIFEST_BYTES, parseManifests, type ManifestDoc } from './parse';
export { validateManifests, validateObject, withoutUnknownFields, type FieldIssue, type FieldValidation, type ValidateOptions, type ValidationResult } from './validate';
export { applyDefaults, defaultPullPolicy } from './defaults';
export { formatCpu, formatMemory, isIntOrPercent, parseCpu, parseIntOrPercent, parseMemory, parseQuantity } from './quantity';
export {
  FieldSelector,
  Selector,
  labelsToString,
  parseFieldSelector,
  parseSelector,
  selectorFromLabelSelector,
  type FieldRequirement,
  type Requirement,
  type SelectorOperator,
} from './selector';
export * as names from './names';
