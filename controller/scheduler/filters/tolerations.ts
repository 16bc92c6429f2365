// The taints Kubernetes puts on nodes for their state, which the readiness and cordon filters
// honour as if present (so a pod tolerating them may go there). Matching is common/api/toleration.
export const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;
export const NOT_READY_TAINT = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' } as const;
