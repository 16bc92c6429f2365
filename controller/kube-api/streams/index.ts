// The streaming subresources of the Kubernetes API (pods/exec, pods/attach, pods/portforward).
export { handlePodStreamUpgrade, type StreamDeps, type StreamRequest } from './handle-upgrade';
